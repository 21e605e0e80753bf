import { equalBytes } from '../primitives/bytes'
import { decodeDeviceCertificate } from '../identity/device-certificate'
import type { DeviceList } from '../identity/device-list'
import type { ConsumedPreKeys, PreKeySecrets } from '../prekeys/local-prekeys'
import { acceptSession, type AcceptFailure } from '../session/accept-session'
import { decodeInitialMessage, isInitialMessage } from '../session/initial-message'
import type { LocalDevice } from '../session/initiate-session'
import type { DecryptFailure } from '../session/session-record'
import { cloneRecord, type DeviceAddress, type SesameStore } from './session-store'

/**
 * Receiving side of Sesame (signal.org/docs/specifications/sesame section
 * 3.4 "Receiving messages"), docs/protocol.md section 6.3. The sender's
 * address comes from the verified sealed-sender certificate (section 7) or
 * the transport; an initial message must carry a certificate for exactly
 * that address.
 *
 *   - an initial message for a session we do not have starts one
 *     (acceptSession), filed under the sender's device record, whose older
 *     sessions become inactive;
 *   - anything else is decrypted by that device's SessionRecord, which tries
 *     the active session and then the inactive ones, promoting the one that
 *     works (Sesame: "the session becomes the active session").
 *
 * With the sender account's verified device list, a device not on it is
 * refused as `unknown-sender-device` before any decryption: the caller
 * refetches the list and retries. Nothing changes in the store on failure.
 */

export interface FanoutDecryptParams {
  readonly local: LocalDevice
  readonly preKeys: PreKeySecrets & { consume(consumed: ConsumedPreKeys): void }
  readonly store: SesameStore
  readonly sender: DeviceAddress
  readonly senderDeviceList?: DeviceList
  readonly message: Uint8Array
  readonly associatedData?: Uint8Array
}

export type FanoutDecryptFailure = DecryptFailure | AcceptFailure | 'unknown-sender-device' | 'sender-mismatch'

export type FanoutDecryptResult =
  | { readonly ok: true; readonly plaintext: Uint8Array; readonly newSession: boolean }
  | { readonly ok: false; readonly reason: FanoutDecryptFailure }

export function fanoutDecrypt(params: FanoutDecryptParams): FanoutDecryptResult {
  const { sender, store } = params
  const options = store.sessionOptions
  const listed = params.senderDeviceList?.devices.find((device) => device.deviceId === sender.deviceId)
  if (params.senderDeviceList && (!listed || !equalBytes(params.senderDeviceList.accountKey, sender.accountKey))) {
    return { ok: false, reason: 'unknown-sender-device' }
  }
  const existing = store.get(sender)
  const initial = isInitialMessage(params.message) ? decodeInitialMessage(params.message) : undefined
  if (initial === null) return { ok: false, reason: 'malformed' }
  if (initial && existing?.findByBaseKey(initial.baseKey) === undefined) {
    const certificate = decodeDeviceCertificate(initial.senderCertificate)
    if (!certificate || certificate.deviceId !== sender.deviceId || !equalBytes(certificate.accountKey, sender.accountKey)) {
      return { ok: false, reason: 'sender-mismatch' }
    }
    if (listed && !equalBytes(listed.bytes, certificate.bytes)) return { ok: false, reason: 'unknown-sender-device' }
    const accepted = acceptSession({
      ...options,
      local: params.local,
      preKeys: params.preKeys,
      message: params.message,
      ...(params.associatedData ? { associatedData: params.associatedData } : {}),
      ...(existing ? { record: cloneRecord(existing, options) } : {}),
      expectedSender: { accountKey: sender.accountKey, ...(params.senderDeviceList ? { deviceList: params.senderDeviceList } : {}) }
    })
    if (!accepted.ok) return accepted
    params.preKeys.consume(accepted.consumed)
    store.set(sender, accepted.record)
    return { ok: true, plaintext: accepted.plaintext, newSession: true }
  }
  if (!existing) return { ok: false, reason: 'no-session' }
  // A device id whose listed keys changed: the old keys' sessions no longer speak for the account.
  const remote = existing.remoteCertificate
  if (listed && (!remote || !equalBytes(remote, listed.bytes))) return { ok: false, reason: 'unknown-sender-device' }
  // SessionRecord.decrypt is itself transactional: a failure changes nothing.
  const result = existing.decrypt(params.message, params.associatedData)
  return result.ok ? { ok: true, plaintext: result.plaintext, newSession: false } : result
}
