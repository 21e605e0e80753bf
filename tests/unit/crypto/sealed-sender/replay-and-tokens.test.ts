import { beforeAll, describe, expect, it } from 'vitest'
import { loadSodium } from '../../../../src/main/core/crypto/sodium'
import { randomBytes } from '../../../../src/main/core/crypto/primitives'
import { generateAccountIdentity, generateDeviceKeys, issueDeviceCertificate } from '../../../../src/main/core/crypto/identity'
import { openEnvelope, sealEnvelope } from '../../../../src/main/core/crypto/sealed-sender/envelope'
import { SealedReplayGuard } from '../../../../src/main/core/crypto/sealed-sender/replay-guard'
import {
  acceptsDeliveryToken,
  deliveryTokenVerifier,
  deriveDeliveryToken,
  generateProfileSecret
} from '../../../../src/main/core/crypto/sealed-sender/delivery-token'

const NOW = 1_760_000_000_000
const DAY = 86_400_000

beforeAll(async () => {
  await loadSodium()
})

describe('replayed sealed envelopes (protocol section 7.3)', () => {
  it('a replayed envelope is detected after the first one was accepted, also after a restart', () => {
    const account = generateAccountIdentity()
    const alice = generateDeviceKeys(1)
    const bob = generateDeviceKeys(2)
    const sealed = sealEnvelope({
      senderCertificate: issueDeviceCertificate(account, alice, NOW - DAY),
      senderIdentity: alice.identity,
      recipientIdentityKey: bob.identity.publicKey,
      contentType: 1,
      content: randomBytes(20),
      sentAtMs: NOW
    })
    const guard = new SealedReplayGuard()
    const first = openEnvelope(sealed, bob.identity, NOW + 10)
    if (!first.ok) throw new Error('expected the envelope to open')
    expect(guard.check(first.envelope.envelopeId, first.envelope.sentAtMs, NOW + 10)).toBe('fresh')
    guard.record(first.envelope.envelopeId, first.envelope.sentAtMs, NOW + 10)

    const restored = SealedReplayGuard.deserialize(guard.serialize())
    const again = openEnvelope(sealed, bob.identity, NOW + 20)
    if (!again.ok || !restored) throw new Error('expected the envelope to open and the guard to restore')
    expect(restored.check(again.envelope.envelopeId, again.envelope.sentAtMs, NOW + 20)).toBe('replay')
    // Once the window has passed, the id may be forgotten, but the envelope is then too old.
    expect(restored.check(again.envelope.envelopeId, again.envelope.sentAtMs, NOW + 31 * DAY)).toBe('too-old')
  })

  it('eviction by count raises the floor so an evicted id can never be replayed', () => {
    const guard = new SealedReplayGuard(DAY, 3)
    const ids = [0, 1, 2, 3, 4].map(() => randomBytes(32))
    ids.forEach((id, i) => guard.record(id, NOW + i, NOW + 10))
    expect(guard.size).toBe(3)
    expect(guard.check(ids[0] as Uint8Array, NOW, NOW + 10)).toBe('too-old')
    expect(guard.check(ids[1] as Uint8Array, NOW + 1, NOW + 10)).toBe('too-old')
    expect(guard.check(ids[4] as Uint8Array, NOW + 4, NOW + 10)).toBe('replay')
    expect(guard.check(randomBytes(32), NOW + 5, NOW + 10)).toBe('fresh')
    expect(() => guard.record(ids[4] as Uint8Array, NOW + 4, NOW + 10)).toThrow(RangeError)
  })

  it('refuses envelopes dated more than a day ahead, so none can outlive the window', () => {
    const guard = new SealedReplayGuard()
    expect(guard.check(randomBytes(32), NOW + DAY + 1, NOW)).toBe('too-new')
    expect(guard.check(randomBytes(32), NOW + DAY, NOW)).toBe('fresh')
    expect(() => guard.record(randomBytes(32), NOW + 2 * DAY, NOW)).toThrow(RangeError)
  })

  it('rejects corrupt guard state', () => {
    const guard = new SealedReplayGuard()
    guard.record(randomBytes(32), NOW, NOW)
    const bytes = guard.serialize()
    expect(SealedReplayGuard.deserialize(bytes.subarray(0, bytes.length - 1))).toBeNull()
    expect(SealedReplayGuard.deserialize(Uint8Array.of(...bytes, 0))).toBeNull()
    expect(SealedReplayGuard.deserialize(Uint8Array.of(0x01, 0x52, ...bytes.subarray(2)))).toBeNull()
  })
})

describe('delivery tokens (protocol section 7.2)', () => {
  it('a contact holding the profile secret derives the token the relay accepts', () => {
    const profileSecret = generateProfileSecret()
    const mailbox = randomBytes(32)
    const verifier = deliveryTokenVerifier(deriveDeliveryToken(profileSecret, mailbox))
    expect(acceptsDeliveryToken(verifier, deriveDeliveryToken(profileSecret, mailbox))).toBe(true)
    expect(acceptsDeliveryToken(verifier, deriveDeliveryToken(profileSecret, randomBytes(32)))).toBe(false)
    expect(acceptsDeliveryToken(verifier, randomBytes(32))).toBe(false)
    expect(acceptsDeliveryToken(verifier, randomBytes(16))).toBe(false)
  })

  it('rotating the profile secret blocks holders of the old one', () => {
    const mailbox = randomBytes(32)
    const oldSecret = generateProfileSecret()
    const blockedContactsToken = deriveDeliveryToken(oldSecret, mailbox)
    const newSecret = generateProfileSecret()
    const newVerifier = deliveryTokenVerifier(deriveDeliveryToken(newSecret, mailbox))
    expect(acceptsDeliveryToken(newVerifier, blockedContactsToken)).toBe(false)
    expect(acceptsDeliveryToken(newVerifier, deriveDeliveryToken(newSecret, mailbox))).toBe(true)
  })

  it('the verifier the relay stores is not itself a token', () => {
    const profileSecret = generateProfileSecret()
    const mailbox = randomBytes(32)
    const verifier = deliveryTokenVerifier(deriveDeliveryToken(profileSecret, mailbox))
    expect(acceptsDeliveryToken(verifier, verifier)).toBe(false)
  })
})
