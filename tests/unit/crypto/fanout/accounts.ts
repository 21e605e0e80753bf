import {
  generateAccountIdentity,
  generateDeviceKeys,
  issueDeviceCertificate,
  signDeviceList,
  type AccountIdentity,
  type DeviceList
} from '../../../../src/main/core/crypto/identity'
import {
  KemPreKeyKind,
  LocalPreKeys,
  createKemPreKey,
  createOneTimePreKeys,
  createSignedPreKey,
  encodePreKeyBundle,
  type OneTimePreKey,
  type WithSecret
} from '../../../../src/main/core/crypto/prekeys'
import type { LocalDevice } from '../../../../src/main/core/crypto/session/initiate-session'
import { SesameStore } from '../../../../src/main/core/crypto/fanout/session-store'
import { deviceKey, type FanoutTarget } from '../../../../src/main/core/crypto/fanout/fanout-encrypt'
import type { DeviceAddress } from '../../../../src/main/core/crypto/fanout/session-store'

export const NOW = 1_760_000_000_000

/** One real device: keys, certificate, published prekeys (with secrets) and its Sesame store. */
export interface TestDevice {
  readonly local: LocalDevice
  readonly preKeys: LocalPreKeys
  readonly store: SesameStore
  readonly address: DeviceAddress
  /** The next prekey bundle a relay would hand out for this device (a fresh one-time prekey each time). */
  bundle(): Uint8Array
}

export interface TestAccount {
  readonly identity: AccountIdentity
  readonly devices: TestDevice[]
  list: DeviceList
}

function makeDevice(identity: AccountIdentity, deviceId: number): TestDevice {
  const keys = generateDeviceKeys(deviceId)
  const certificate = issueDeviceCertificate(identity, keys, NOW - 1000)
  const preKeys = new LocalPreKeys()
  const signed = createSignedPreKey(keys, 1, NOW)
  preKeys.addSignedPreKey(signed)
  const oneTime: WithSecret<OneTimePreKey>[] = createOneTimePreKeys(1, 16)
  for (const key of oneTime) preKeys.addOneTimePreKey(key)
  const kem = createKemPreKey(keys, 1, KemPreKeyKind.LastResort, NOW)
  preKeys.addKemPreKey(kem)
  let next = 0
  return {
    local: { keys, certificate },
    preKeys,
    store: new SesameStore({ now: () => NOW }),
    address: { accountKey: identity.publicKey, deviceId },
    bundle() {
      const oneTimeKey = oneTime[next++]
      return encodePreKeyBundle({
        certificate: certificate.bytes,
        signedPreKey: signed.public.bytes,
        ...(oneTimeKey ? { oneTimePreKey: oneTimeKey.public.bytes } : {}),
        kemPreKey: kem.public.bytes
      })
    }
  }
}

export function makeAccount(deviceCount: number, firstDeviceId = 1): TestAccount {
  const identity = generateAccountIdentity()
  const devices = Array.from({ length: deviceCount }, (_, i) => makeDevice(identity, firstDeviceId + i))
  const list = signDeviceList(identity, 1, NOW, devices.map((d) => d.local.certificate))
  return { identity, devices, list }
}

/** Adds a device and publishes a new list version. */
export function addDevice(account: TestAccount, deviceId: number): TestDevice {
  const device = makeDevice(account.identity, deviceId)
  account.devices.push(device)
  account.list = signDeviceList(account.identity, account.list.version + 1, NOW, account.devices.map((d) => d.local.certificate))
  return device
}

/** Removes a device and publishes a new list version. */
export function removeDevice(account: TestAccount, deviceId: number): void {
  account.devices.splice(account.devices.findIndex((d) => d.address.deviceId === deviceId), 1)
  account.list = signDeviceList(account.identity, account.list.version + 1, NOW, account.devices.map((d) => d.local.certificate))
}

export function targetsFor(...accounts: TestAccount[]): FanoutTarget[] {
  return accounts.map((a) => ({ accountKey: a.identity.publicKey, deviceList: a.list }))
}

/** What a relay answers for "bundles of these devices". */
export function bundlesFor(accounts: TestAccount[], missing: readonly DeviceAddress[]): Map<string, Uint8Array> {
  const bundles = new Map<string, Uint8Array>()
  for (const address of missing) {
    const device = accounts.flatMap((a) => a.devices).find((d) => deviceKey(d.address) === deviceKey(address))
    if (device) bundles.set(deviceKey(address), device.bundle())
  }
  return bundles
}
