import { loadSodium } from '../../../../src/main/core/crypto/sodium'
import { generateAccountIdentity, generateDeviceKeys, type AccountIdentity } from '../../../../src/main/core/crypto/identity/device-keys'
import { issueDeviceCertificate } from '../../../../src/main/core/crypto/identity/device-certificate'
import { createKemPreKey, createOneTimePreKeys, createSignedPreKey, KemPreKeyKind } from '../../../../src/main/core/crypto/prekeys/prekeys'
import { encodePreKeyBundle } from '../../../../src/main/core/crypto/prekeys/prekey-bundle'
import { LocalPreKeys } from '../../../../src/main/core/crypto/prekeys/local-prekeys'
import type { LocalDevice } from '../../../../src/main/core/crypto/session/initiate-session'

/** A real account with one real device and real published prekeys (no stand-ins). */
export interface Party {
  readonly account: AccountIdentity
  readonly device: LocalDevice
  readonly preKeys: LocalPreKeys
  /** Builds a bundle; withOneTime picks the next unused one-time prekey. */
  bundle(options?: { withOneTime?: boolean; kemKind?: KemPreKeyKind }): Uint8Array
}

export async function makeParty(deviceId = 1, now = 1_700_000_000_000): Promise<Party> {
  await loadSodium()
  const account = generateAccountIdentity()
  const keys = generateDeviceKeys(deviceId)
  const certificate = issueDeviceCertificate(account, keys, now)
  const preKeys = new LocalPreKeys()
  const signed = createSignedPreKey(keys, 1, now)
  preKeys.addSignedPreKey(signed)
  const oneTime = createOneTimePreKeys(100, 4)
  for (const key of oneTime) preKeys.addOneTimePreKey(key)
  const lastResort = createKemPreKey(keys, 1, KemPreKeyKind.LastResort, now)
  preKeys.addKemPreKey(lastResort)
  const oneTimeKem = createKemPreKey(keys, 2, KemPreKeyKind.OneTime, now)
  preKeys.addKemPreKey(oneTimeKem)
  let nextOneTime = 0
  return {
    account,
    device: { keys, certificate },
    preKeys,
    bundle(options = {}) {
      const oneTimeKey = options.withOneTime === false ? undefined : oneTime[nextOneTime++]
      const kem = options.kemKind === KemPreKeyKind.OneTime ? oneTimeKem : lastResort
      return encodePreKeyBundle({
        certificate: certificate.bytes,
        signedPreKey: signed.public.bytes,
        ...(oneTimeKey ? { oneTimePreKey: oneTimeKey.public.bytes } : {}),
        kemPreKey: kem.public.bytes
      })
    }
  }
}
