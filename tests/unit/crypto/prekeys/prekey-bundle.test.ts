import { beforeAll, describe, expect, it } from 'vitest'
import { loadSodium } from '../../../../src/main/core/crypto/sodium'
import { encodePreKeyBundle, verifyPreKeyBundle } from '../../../../src/main/core/crypto/prekeys/prekey-bundle'
import { createKemPreKey, createSignedPreKey, KemPreKeyKind } from '../../../../src/main/core/crypto/prekeys/prekeys'
import { generateAccountIdentity, generateDeviceKeys } from '../../../../src/main/core/crypto/identity/device-keys'
import { issueDeviceCertificate } from '../../../../src/main/core/crypto/identity/device-certificate'
import { signDeviceList, verifyDeviceList } from '../../../../src/main/core/crypto/identity/device-list'
import { initiateSession } from '../../../../src/main/core/crypto/session/initiate-session'
import { acceptSession } from '../../../../src/main/core/crypto/session/accept-session'
import { SessionRecord } from '../../../../src/main/core/crypto/session/session-record'
import { makeParty } from '../session/fixtures'
import { deterministicRandom } from '../session/drbg'

beforeAll(async () => {
  await loadSodium()
})

const text = (value: string) => new TextEncoder().encode(value)
/** Byte offsets inside a bundle (docs/protocol.md section 2.2). */
const CERT_START = 2
const SIGNED_START = CERT_START + 177
const SIGNED_SIGNATURE_START = SIGNED_START + 2 + 4 + 33 + 8

describe('prekey bundles (docs/protocol.md section 2)', () => {
  it('verifies a bundle with and without a one-time prekey', async () => {
    const bob = await makeParty(2)
    for (const withOneTime of [true, false]) {
      const result = verifyPreKeyBundle(bob.bundle({ withOneTime }), { accountKey: bob.account.publicKey })
      if (!result.ok) throw new Error(result.reason)
      expect(result.bundle.oneTimePreKey !== undefined).toBe(withOneTime)
      expect(result.bundle.kemPreKey.publicKey.length).toBe(1216)
    }
  })

  it('a bad prekey signature aborts session setup before anything is generated', async () => {
    const alice = await makeParty(1)
    const bob = await makeParty(2)
    const bundle = bob.bundle()
    for (const offset of [SIGNED_SIGNATURE_START + 5, bundle.length - 3, SIGNED_START + 10]) {
      const tampered = bundle.slice()
      tampered[offset] = (tampered[offset] as number) ^ 0x40
      const random = deterministicRandom('must-not-be-used')
      const result = initiateSession({ local: alice.device, bundle: tampered, remoteAccountKey: bob.account.publicKey, random })
      expect(result).toEqual({ ok: false, reason: 'bad-signature' })
      expect(random.draws).toBe(0)
    }
  })

  it('rejects a bundle from another account, a device missing from the device list, or a broken certificate', async () => {
    const alice = await makeParty(1)
    const bob = await makeParty(2)
    const random = deterministicRandom('unused')
    expect(initiateSession({ local: alice.device, bundle: bob.bundle(), remoteAccountKey: alice.account.publicKey, random })).toEqual({ ok: false, reason: 'wrong-account' })
    const otherDevice = issueDeviceCertificate(bob.account, generateDeviceKeys(9), 1)
    const list = signDeviceList(bob.account, 1, 1, [otherDevice])
    expect(initiateSession({ local: alice.device, bundle: bob.bundle(), remoteAccountKey: bob.account.publicKey, remoteDeviceList: list, random })).toEqual({ ok: false, reason: 'uncertified-device' })
    const brokenCert = bob.bundle()
    brokenCert[CERT_START + 100] = (brokenCert[CERT_START + 100] as number) ^ 1
    expect(initiateSession({ local: alice.device, bundle: brokenCert, remoteAccountKey: bob.account.publicKey, random }).ok).toBe(false)
    expect(random.draws).toBe(0)
    const listed = signDeviceList(bob.account, 2, 1, [bob.device.certificate])
    expect(initiateSession({ local: alice.device, bundle: bob.bundle(), remoteAccountKey: bob.account.publicKey, remoteDeviceList: listed }).ok).toBe(true)
  })

  it('with a verified device list, only the exact listed certificate is accepted (no second signature check needed)', async () => {
    const alice = await makeParty(1)
    const bob = await makeParty(2)
    const listed = verifyDeviceList(signDeviceList(bob.account, 1, 1, [bob.device.certificate]).bytes, { accountKey: bob.account.publicKey })
    if (!listed.ok) throw new Error(listed.reason)
    expect(verifyPreKeyBundle(bob.bundle(), { accountKey: bob.account.publicKey, deviceList: listed.list }).ok).toBe(true)
    // The same device keys under a re-issued certificate (another issuedAt) are not what the list certifies.
    const reissued = issueDeviceCertificate(bob.account, bob.device.keys, 999)
    const bundle = bob.bundle()
    bundle.set(reissued.bytes, CERT_START)
    expect(verifyPreKeyBundle(bundle, { accountKey: bob.account.publicKey, deviceList: listed.list })).toEqual({ ok: false, reason: 'uncertified-device' })
    // A list of another account never vouches for Bob's devices.
    const aliceList = signDeviceList(alice.account, 1, 1, [alice.device.certificate])
    expect(verifyPreKeyBundle(bob.bundle(), { accountKey: bob.account.publicKey, deviceList: aliceList })).toEqual({ ok: false, reason: 'wrong-account' })
    // Acceptance checks the sender against its list the same way.
    const init = initiateSession({ local: bob.device, bundle: alice.bundle(), remoteAccountKey: alice.account.publicKey, remoteDeviceList: aliceList })
    if (!init.ok) throw new Error(init.reason)
    const message = init.record.encrypt(text('listed sender'))
    const accepted = acceptSession({ local: alice.device, preKeys: alice.preKeys, message, expectedSender: { accountKey: bob.account.publicKey, deviceList: listed.list } })
    expect(accepted.ok && new TextDecoder().decode(accepted.plaintext)).toBe('listed sender')
    expect(acceptSession({ local: alice.device, preKeys: alice.preKeys, message, expectedSender: { accountKey: bob.account.publicKey, deviceList: aliceList } })).toEqual({ ok: false, reason: 'uncertified-device' })
  })

  it('rejects prekeys signed by a key other than the certified device signing key', async () => {
    const bob = await makeParty(2)
    const impostor = generateDeviceKeys(2)
    const bundle = encodePreKeyBundle({
      certificate: bob.device.certificate.bytes,
      signedPreKey: createSignedPreKey(impostor, 1, 1).public.bytes,
      kemPreKey: createKemPreKey(bob.device.keys, 1, KemPreKeyKind.LastResort, 1).public.bytes
    })
    expect(verifyPreKeyBundle(bundle, { accountKey: bob.account.publicKey })).toEqual({ ok: false, reason: 'bad-signature' })
    const badKem = encodePreKeyBundle({
      certificate: bob.device.certificate.bytes,
      signedPreKey: createSignedPreKey(bob.device.keys, 1, 1).public.bytes,
      kemPreKey: createKemPreKey(impostor, 1, KemPreKeyKind.LastResort, 1).public.bytes
    })
    expect(verifyPreKeyBundle(badKem, { accountKey: bob.account.publicKey })).toEqual({ ok: false, reason: 'bad-signature' })
  })

  it('rejects truncated and padded bundles as malformed', async () => {
    const bob = await makeParty(2)
    const bundle = bob.bundle()
    expect(verifyPreKeyBundle(bundle.subarray(0, bundle.length - 1), { accountKey: bob.account.publicKey })).toEqual({ ok: false, reason: 'malformed' })
    const padded = new Uint8Array(bundle.length + 1)
    padded.set(bundle)
    expect(verifyPreKeyBundle(padded, { accountKey: bob.account.publicKey })).toEqual({ ok: false, reason: 'malformed' })
  })
})

describe('one-time prekeys and KEM ciphertexts (adversarial category 6)', () => {
  it('a one-time prekey used twice is rejected', async () => {
    const alice = await makeParty(1)
    const carol = await makeParty(3)
    const bob = await makeParty(2)
    const bundle = bob.bundle({ withOneTime: true, kemKind: KemPreKeyKind.OneTime })
    const first = initiateSession({ local: alice.device, bundle, remoteAccountKey: bob.account.publicKey })
    const second = initiateSession({ local: carol.device, bundle, remoteAccountKey: bob.account.publicKey })
    if (!first.ok || !second.ok) throw new Error('setup failed')
    const accepted = acceptSession({ local: bob.device, preKeys: bob.preKeys, message: first.record.encrypt(text('one')) })
    if (!accepted.ok) throw new Error(accepted.reason)
    expect(accepted.consumed).toEqual({ oneTimePreKeyId: 100, oneTimeKemPreKeyId: 2 })
    bob.preKeys.consume(accepted.consumed)
    // Carol's message names the same one-time prekeys: they are gone.
    expect(acceptSession({ local: bob.device, preKeys: bob.preKeys, message: second.record.encrypt(text('two')) })).toEqual({ ok: false, reason: 'unknown-prekey' })
  })

  it('a tampered KEM ciphertext makes the first message fail and consumes nothing', async () => {
    const alice = await makeParty(1)
    const bob = await makeParty(2)
    const init = initiateSession({ local: alice.device, bundle: bob.bundle(), remoteAccountKey: bob.account.publicKey })
    if (!init.ok) throw new Error(init.reason)
    const message = init.record.encrypt(text('hi'))
    // Initial message layout (section 3.3): 2 + 177 + 4 + 1 + 4 (one-time id) + 4 + 33, then the 1120-byte ciphertext.
    const kemOffset = 2 + 177 + 4 + 1 + 4 + 4 + 33
    for (const delta of [0, 500, 1119]) {
      const tampered = message.slice()
      tampered[kemOffset + delta] = (tampered[kemOffset + delta] as number) ^ 0x01
      // Implicit rejection gives another shared secret, hence other header keys: the header no longer opens.
      expect(acceptSession({ local: bob.device, preKeys: bob.preKeys, message: tampered })).toEqual({ ok: false, reason: 'no-matching-chain' })
    }
    // The untampered message still works afterwards: nothing was consumed.
    const accepted = acceptSession({ local: bob.device, preKeys: bob.preKeys, message })
    expect(accepted.ok).toBe(true)
  })

  it('an initial message replayed after the session exists is rejected as a duplicate', async () => {
    const alice = await makeParty(1)
    const bob = await makeParty(2)
    const init = initiateSession({ local: alice.device, bundle: bob.bundle({ withOneTime: false }), remoteAccountKey: bob.account.publicKey })
    if (!init.ok) throw new Error(init.reason)
    const first = init.record.encrypt(text('first'))
    const accepted = acceptSession({ local: bob.device, preKeys: bob.preKeys, message: first })
    if (!accepted.ok) throw new Error(accepted.reason)
    const before = accepted.record.serialize()
    // Replayed through acceptSession with the existing record (last-resort prekeys still exist).
    expect(acceptSession({ local: bob.device, preKeys: bob.preKeys, message: first, record: accepted.record })).toEqual({ ok: false, reason: 'duplicate' })
    // Replayed through the record directly.
    expect(accepted.record.decrypt(first)).toEqual({ ok: false, reason: 'duplicate' })
    expect(accepted.record.serialize()).toEqual(before)
    // An initial message of a session this record does not know must go through acceptSession.
    const other = initiateSession({ local: alice.device, bundle: bob.bundle({ withOneTime: false }), remoteAccountKey: bob.account.publicKey })
    if (!other.ok) throw new Error(other.reason)
    expect(accepted.record.decrypt(other.record.encrypt(text('x')))).toEqual({ ok: false, reason: 'needs-acceptance' })
    expect(new SessionRecord().decrypt(first)).toEqual({ ok: false, reason: 'needs-acceptance' })
  })

  it('an initial message from an uncertified sender device is rejected', async () => {
    const alice = await makeParty(1)
    const bob = await makeParty(2)
    const init = initiateSession({ local: alice.device, bundle: bob.bundle(), remoteAccountKey: bob.account.publicKey })
    if (!init.ok) throw new Error(init.reason)
    const message = init.record.encrypt(text('hi'))
    const otherList = signDeviceList(alice.account, 1, 1, [issueDeviceCertificate(alice.account, generateDeviceKeys(5), 1)])
    expect(acceptSession({ local: bob.device, preKeys: bob.preKeys, message, expectedSender: { accountKey: alice.account.publicKey, deviceList: otherList } })).toEqual({ ok: false, reason: 'uncertified-device' })
    expect(acceptSession({ local: bob.device, preKeys: bob.preKeys, message, expectedSender: { accountKey: generateAccountIdentity().publicKey } })).toEqual({ ok: false, reason: 'uncertified-device' })
    const tampered = message.slice()
    tampered[2 + 60] = (tampered[2 + 60] as number) ^ 1
    expect(acceptSession({ local: bob.device, preKeys: bob.preKeys, message: tampered })).toEqual({ ok: false, reason: 'uncertified-device' })
  })
})
