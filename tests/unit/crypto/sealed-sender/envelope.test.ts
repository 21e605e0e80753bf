import { beforeAll, describe, expect, it } from 'vitest'
import { loadSodium } from '../../../../src/main/core/crypto/sodium'
import { generateX25519KeyPair, randomBytes } from '../../../../src/main/core/crypto/primitives'
import {
  generateAccountIdentity,
  generateDeviceKeys,
  issueDeviceCertificate,
  type AccountIdentity,
  type DeviceCertificate,
  type DeviceKeys
} from '../../../../src/main/core/crypto/identity'
import { openEnvelope, sealEnvelope, type SealInput } from '../../../../src/main/core/crypto/sealed-sender/envelope'

const NOW = 1_760_000_000_000
const DAY = 86_400_000
let aliceAccount: AccountIdentity
let alice: DeviceKeys
let aliceCertificate: DeviceCertificate
let bob: DeviceKeys

function sealInput(overrides: Partial<SealInput> = {}): SealInput {
  return {
    senderCertificate: aliceCertificate,
    senderIdentity: alice.identity,
    recipientIdentityKey: bob.identity.publicKey,
    contentType: 3,
    content: new TextEncoder().encode('ratchet message bytes'),
    sentAtMs: NOW,
    ...overrides
  }
}

function flip(bytes: Uint8Array, index: number): Uint8Array {
  const out = bytes.slice()
  out[index] = (out[index] ?? 0) ^ 0x01
  return out
}

beforeAll(async () => {
  await loadSodium()
  aliceAccount = generateAccountIdentity()
  alice = generateDeviceKeys(1)
  aliceCertificate = issueDeviceCertificate(aliceAccount, alice, NOW - DAY)
  bob = generateDeviceKeys(7)
})

describe('sealed sender envelope (protocol section 7.1)', () => {
  it('round-trips and reveals the sender only to the recipient', () => {
    const sealed = sealEnvelope(sealInput())
    // The relay sees neither the sender's keys nor the certificate.
    const hex = Buffer.from(sealed).toString('hex')
    expect(hex).not.toContain(Buffer.from(alice.identity.publicKey).toString('hex'))
    expect(hex).not.toContain(Buffer.from(aliceAccount.publicKey).toString('hex'))
    const opened = openEnvelope(sealed, bob.identity, NOW, { expectedSenderAccountKey: aliceAccount.publicKey })
    expect(opened.ok).toBe(true)
    if (!opened.ok) return
    expect(opened.envelope.sender.accountKey).toEqual(aliceAccount.publicKey)
    expect(opened.envelope.sender.deviceId).toBe(1)
    expect(new TextDecoder().decode(opened.envelope.content)).toBe('ratchet message bytes')
    expect(opened.envelope.contentType).toBe(3)
    expect(opened.envelope.sentAtMs).toBe(NOW)
    expect(opened.envelope.frankingCommitment).toBeUndefined()
  })

  it('carries a franking commitment in the clear, authenticated by both layers', () => {
    const commitment = randomBytes(32)
    const sealed = sealEnvelope(sealInput({ frankingCommitment: commitment }))
    expect(sealed.subarray(35, 67)).toEqual(commitment)
    const opened = openEnvelope(sealed, bob.identity, NOW)
    expect(opened.ok && opened.envelope.frankingCommitment).toEqual(commitment)
    expect(openEnvelope(flip(sealed, 40), bob.identity, NOW)).toEqual({ ok: false, reason: 'layer1-failed' })
  })

  it('tampering with the header or layer 1 fails layer 1; with layer 2 fails layer 2', () => {
    const sealed = sealEnvelope(sealInput())
    const layer1Start = 35 + 4
    const layer1Length = new DataView(sealed.buffer, sealed.byteOffset).getUint32(35, false)
    expect(openEnvelope(flip(sealed, 10), bob.identity, NOW)).toEqual({ ok: false, reason: 'layer1-failed' })
    expect(openEnvelope(flip(sealed, layer1Start + 5), bob.identity, NOW)).toEqual({ ok: false, reason: 'layer1-failed' })
    expect(openEnvelope(flip(sealed, layer1Start + layer1Length + 3), bob.identity, NOW)).toEqual({ ok: false, reason: 'layer2-failed' })
    expect(openEnvelope(flip(sealed, sealed.length - 1), bob.identity, NOW)).toEqual({ ok: false, reason: 'layer2-failed' })
    expect(openEnvelope(flip(sealed, 2), bob.identity, NOW)).toEqual({ ok: false, reason: 'malformed' })
    expect(openEnvelope(sealed.subarray(0, 60), bob.identity, NOW)).toEqual({ ok: false, reason: 'malformed' })
  })

  it('an envelope for another recipient does not open', () => {
    const sealed = sealEnvelope(sealInput())
    expect(openEnvelope(sealed, generateX25519KeyPair(), NOW)).toEqual({ ok: false, reason: 'layer1-failed' })
  })

  it('a certificate naming another identity key cannot produce a valid layer 2 (identity binding)', () => {
    // Mallory holds a genuine certificate of Alice's but not Alice's identity secret key.
    const mallory = generateDeviceKeys(9)
    expect(() => sealEnvelope(sealInput({ senderIdentity: mallory.identity }))).toThrow(RangeError)
    // Built by hand, bypassing that guard: same certificate, Mallory's static key.
    const forged = sealEnvelope(
      sealInput({ senderIdentity: mallory.identity, senderCertificate: { ...aliceCertificate, identityKey: mallory.identity.publicKey } })
    )
    expect(openEnvelope(forged, bob.identity, NOW)).toEqual({ ok: false, reason: 'layer2-failed' })
  })

  it('rejects an expired, not-yet-valid, forged or other-account certificate', () => {
    expect(openEnvelope(sealEnvelope(sealInput()), bob.identity, NOW + 91 * DAY)).toEqual({ ok: false, reason: 'certificate-expired' })
    const future = issueDeviceCertificate(aliceAccount, alice, NOW + DAY)
    expect(openEnvelope(sealEnvelope(sealInput({ senderCertificate: future })), bob.identity, NOW)).toEqual({
      ok: false,
      reason: 'certificate-not-yet-valid'
    })
    const forgedBytes = flip(aliceCertificate.bytes, aliceCertificate.bytes.length - 3)
    const forged = { ...aliceCertificate, bytes: forgedBytes }
    expect(openEnvelope(sealEnvelope(sealInput({ senderCertificate: forged })), bob.identity, NOW)).toEqual({
      ok: false,
      reason: 'bad-certificate'
    })
    // A certificate signed by some other account for Alice's device keys.
    const impostor = issueDeviceCertificate(generateAccountIdentity(), alice, NOW - DAY)
    expect(
      openEnvelope(sealEnvelope(sealInput({ senderCertificate: impostor })), bob.identity, NOW, {
        expectedSenderAccountKey: aliceAccount.publicKey
      })
    ).toEqual({ ok: false, reason: 'wrong-sender-account' })
  })

  it('rejects a low-order ephemeral key as a typed failure', () => {
    const sealed = sealEnvelope(sealInput())
    const lowOrder = sealed.slice()
    lowOrder.set(new Uint8Array(32), 3) // the all-zero point
    expect(openEnvelope(lowOrder, bob.identity, NOW)).toEqual({ ok: false, reason: 'weak-key' })
  })

  it('no secret appears in the error messages of misuse', () => {
    const secret = alice.identity.secretKey
    try {
      sealEnvelope(sealInput({ recipientIdentityKey: new Uint8Array(31) }))
      expect.unreachable()
    } catch (error) {
      const message = String((error as Error).message)
      expect(message).not.toContain(Buffer.from(secret).toString('hex'))
      expect(message).toMatch(/recipientIdentityKey/)
    }
  })
})
