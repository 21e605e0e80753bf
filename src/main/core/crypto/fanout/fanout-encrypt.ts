import { equalBytes, toHex } from '../primitives/bytes'
import type { DeviceList } from '../identity/device-list'
import type { BundleFailure } from '../prekeys/prekey-bundle'
import { initiateSession, type LocalDevice } from '../session/initiate-session'
import { isInitialMessage } from '../session/initial-message'
import type { SessionRecord } from '../session/session-record'
import { cloneRecord, type DeviceAddress, type SesameStore } from './session-store'

/**
 * Multi-device fan-out, Sesame (signal.org/docs/specifications/sesame
 * section 3.3 "Sending messages"), docs/protocol.md section 6.2. One
 * plaintext is encrypted once per device: every device on each recipient
 * account's verified device list, plus our own account's other devices.
 *
 * Tessera's device lists are signed by the account (section 1.3), so the
 * authority on "which devices exist" is the newest verified list, not the
 * relay: before encrypting anything, the store is compared with the lists.
 *   missing = listed devices with no usable session and no prekey bundle
 *             supplied (or whose record belongs to other device keys)
 *   extra   = devices with a record that are no longer listed
 * Either being non-empty returns `stale-devices` and changes nothing; the
 * caller fetches bundles for `missing`, calls `forgetDevices(extra)`, and
 * retries (Sesame's "stale devices" / mismatched-devices loop).
 *
 * All-or-nothing: sessions are initiated and messages encrypted on copies of
 * the records, which replace the store's only once every device succeeded.
 */

export interface FanoutTarget {
  readonly accountKey: Uint8Array
  /** Verified (verifyDeviceList) newest list of that account. */
  readonly deviceList: DeviceList
}

export interface FanoutParams {
  readonly local: LocalDevice
  readonly store: SesameStore
  /** The recipient account(s) and our own account (our own device is skipped). */
  readonly targets: readonly FanoutTarget[]
  /** Prekey bundles (section 2.2) for devices without a session, keyed by deviceKey(). */
  readonly bundles?: ReadonlyMap<string, Uint8Array>
  readonly plaintext: Uint8Array
  readonly associatedData?: Uint8Array
}

export interface FanoutMessage extends DeviceAddress {
  readonly ciphertext: Uint8Array
  /** True while the session still carries its initial-message material (no reply yet). */
  readonly initial: boolean
}

export type FanoutResult =
  | { readonly kind: 'encrypted'; readonly messages: readonly FanoutMessage[] }
  | { readonly kind: 'stale-devices'; readonly missing: readonly DeviceAddress[]; readonly extra: readonly DeviceAddress[] }
  | { readonly kind: 'bundle-rejected'; readonly device: DeviceAddress; readonly reason: BundleFailure | 'invalid-key' }

/** The map key for a device: hex(accountKey) + ':' + deviceId. */
export function deviceKey(address: DeviceAddress): string {
  return `${toHex(address.accountKey)}:${address.deviceId}`
}

function isLocal(local: LocalDevice, address: DeviceAddress): boolean {
  return address.deviceId === local.keys.deviceId && equalBytes(address.accountKey, local.certificate.accountKey)
}

/** True if the record's session is with exactly the device keys this certificate names. */
function recordMatches(record: SessionRecord | undefined, certificateBytes: Uint8Array): boolean {
  const remote = record?.hasSession ? record.remoteCertificate : undefined
  return remote !== undefined && equalBytes(remote, certificateBytes)
}

/** Compares the store with the lists (see above); `bundles` count as "can start a session". */
export function findStaleDevices(
  params: Pick<FanoutParams, 'local' | 'store' | 'targets' | 'bundles'>
): { missing: DeviceAddress[]; extra: DeviceAddress[] } {
  const missing: DeviceAddress[] = []
  const extra: DeviceAddress[] = []
  for (const target of params.targets) {
    if (!equalBytes(target.deviceList.accountKey, target.accountKey)) throw new RangeError('deviceList belongs to another account')
    const listed = new Set<number>()
    for (const certificate of target.deviceList.devices) {
      const address = { accountKey: target.accountKey, deviceId: certificate.deviceId }
      listed.add(certificate.deviceId)
      if (isLocal(params.local, address)) continue
      if (!recordMatches(params.store.get(address), certificate.bytes) && !params.bundles?.has(deviceKey(address))) {
        missing.push(address)
      }
    }
    for (const deviceId of params.store.deviceIds(target.accountKey)) {
      if (!listed.has(deviceId)) extra.push({ accountKey: target.accountKey, deviceId })
    }
  }
  return { missing, extra }
}

/** Deletes the records of devices that left their account's list. */
export function forgetDevices(store: SesameStore, devices: readonly DeviceAddress[]): void {
  for (const device of devices) store.delete(device)
}

export function fanoutEncrypt(params: FanoutParams): FanoutResult {
  const stale = findStaleDevices(params)
  if (stale.missing.length > 0 || stale.extra.length > 0) return { kind: 'stale-devices', ...stale }
  const options = params.store.sessionOptions
  const staged: { address: DeviceAddress; record: SessionRecord }[] = []
  for (const target of params.targets) {
    for (const certificate of target.deviceList.devices) {
      const address = { accountKey: target.accountKey, deviceId: certificate.deviceId }
      if (isLocal(params.local, address)) continue
      const existing = params.store.get(address)
      if (recordMatches(existing, certificate.bytes)) {
        staged.push({ address, record: cloneRecord(existing as SessionRecord, options) })
        continue
      }
      const bundle = params.bundles?.get(deviceKey(address)) as Uint8Array
      const started = initiateSession({
        ...options,
        local: params.local,
        bundle,
        remoteAccountKey: target.accountKey,
        remoteDeviceList: target.deviceList,
        ...(existing ? { record: cloneRecord(existing, options) } : {})
      })
      if (!started.ok) return { kind: 'bundle-rejected', device: address, reason: started.reason }
      // A bundle of another (even genuinely listed) device must not be filed under this address.
      if (!recordMatches(started.record, certificate.bytes)) return { kind: 'bundle-rejected', device: address, reason: 'uncertified-device' }
      staged.push({ address, record: started.record })
    }
  }
  const messages = staged.map(({ address, record }) => {
    const ciphertext = record.encrypt(params.plaintext, params.associatedData)
    return { ...address, ciphertext, initial: isInitialMessage(ciphertext) }
  })
  for (const { address, record } of staged) params.store.set(address, record)
  return { kind: 'encrypted', messages }
}
