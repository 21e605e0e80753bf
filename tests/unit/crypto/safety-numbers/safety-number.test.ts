import { beforeAll, describe, expect, it } from 'vitest'
import { Fingerprint, PrivateKey, PublicKey } from '@signalapp/libsignal-client'
import { loadSodium } from '../../../../src/main/core/crypto/sodium'
import { generateEd25519KeyPair, randomBytes } from '../../../../src/main/core/crypto/primitives'
import {
  SIGNAL_FINGERPRINT_ITERATIONS,
  SIGNAL_HASH_VERSION,
  combineDisplay,
  iteratedFingerprintHash,
  thirtyDigits
} from '../../../../src/main/core/crypto/safety-numbers/numeric-fingerprint'
import {
  SAFETY_NUMBER_QR_BYTES,
  compareSafetyNumberQr,
  computeSafetyNumber
} from '../../../../src/main/core/crypto/safety-numbers/safety-number'

beforeAll(async () => {
  await loadSodium()
})

describe('NumericFingerprint algorithm, cross-checked against libsignal (protocol section 9.1)', () => {
  it('produces the same 60 digits as libsignal for Signal-encoded keys', () => {
    // No official published vectors exist; libsignal's implementation is the reference.
    for (let round = 0; round < 3; round++) {
      const localKey = PrivateKey.generate().getPublicKey()
      const remoteKey = PrivateKey.generate().getPublicKey()
      const localId = new Uint8Array(randomBytes(17))
      const remoteId = new Uint8Array(randomBytes(17))
      const expected = Fingerprint.new(SIGNAL_FINGERPRINT_ITERATIONS, 2, localId, localKey, remoteId, remoteKey)
        .displayableFingerprint()
        .toString()
      const local = thirtyDigits(iteratedFingerprintHash(SIGNAL_HASH_VERSION, localKey.serialize(), localId, SIGNAL_FINGERPRINT_ITERATIONS))
      const remote = thirtyDigits(
        iteratedFingerprintHash(SIGNAL_HASH_VERSION, remoteKey.serialize(), remoteId, SIGNAL_FINGERPRINT_ITERATIONS)
      )
      expect(combineDisplay(local, remote)).toBe(expected)
    }
  })

  it('also matches libsignal with a fixed key and a different iteration count', () => {
    const key = PublicKey.deserialize(new Uint8Array([0x05, ...new Uint8Array(32).fill(9)]))
    const other = PublicKey.deserialize(new Uint8Array([0x05, ...new Uint8Array(32).fill(7)]))
    const id = new TextEncoder().encode('+14152222222')
    const otherId = new TextEncoder().encode('+14153333333')
    const expected = Fingerprint.new(1024, 1, id, key, otherId, other).displayableFingerprint().toString()
    const ours = combineDisplay(
      thirtyDigits(iteratedFingerprintHash(0, key.serialize(), id, 1024)),
      thirtyDigits(iteratedFingerprintHash(0, other.serialize(), otherId, 1024))
    )
    expect(ours).toBe(expected)
  })
})

describe('Tessera safety numbers over account keys (section 9.2)', () => {
  const alice = { accountKey: new Uint8Array(32) }
  const bob = { accountKey: new Uint8Array(32) }
  beforeAll(() => {
    alice.accountKey.set(generateEd25519KeyPair().publicKey)
    bob.accountKey.set(generateEd25519KeyPair().publicKey)
  })

  it('is 60 digits, the same on both sides', () => {
    const seenByAlice = computeSafetyNumber(alice, bob)
    const seenByBob = computeSafetyNumber(bob, alice)
    expect(seenByAlice.digits).toMatch(/^\d{60}$/)
    expect(seenByAlice.digits).toBe(seenByBob.digits)
    expect(seenByAlice.groups).toHaveLength(12)
    expect(seenByAlice.groups.join('')).toBe(seenByAlice.digits)
  })

  it('QR payloads compare equal across the two sides and not with themselves', () => {
    const a = computeSafetyNumber(alice, bob).qrPayload
    const b = computeSafetyNumber(bob, alice).qrPayload
    expect(a.length).toBe(SAFETY_NUMBER_QR_BYTES)
    expect(compareSafetyNumberQr(a, b)).toEqual({ kind: 'match' })
    expect(compareSafetyNumberQr(b, a)).toEqual({ kind: 'match' })
    expect(compareSafetyNumberQr(a, a)).toEqual({ kind: 'mismatch' })
  })

  it('a substituted account key changes the number and fails the QR comparison', () => {
    const mallory = { accountKey: generateEd25519KeyPair().publicKey }
    const genuine = computeSafetyNumber(alice, bob)
    const substituted = computeSafetyNumber(alice, mallory)
    expect(substituted.digits).not.toBe(genuine.digits)
    // Bob's phone shows the genuine pair; Alice's shows the pair with Mallory's key.
    expect(compareSafetyNumberQr(substituted.qrPayload, computeSafetyNumber(bob, alice).qrPayload)).toEqual({
      kind: 'mismatch'
    })
  })

  it('rejects malformed and other-version QR payloads with a typed result', () => {
    const ours = computeSafetyNumber(alice, bob).qrPayload
    const theirs = computeSafetyNumber(bob, alice).qrPayload
    expect(compareSafetyNumberQr(ours, theirs.subarray(0, 40))).toEqual({ kind: 'malformed' })
    expect(compareSafetyNumberQr(ours, new Uint8Array(0))).toEqual({ kind: 'malformed' })
    const future = theirs.slice()
    future[3] = 2
    expect(compareSafetyNumberQr(ours, future)).toEqual({ kind: 'version-mismatch', theirVersion: 2 })
  })

  it('rejects an account key of the wrong length', () => {
    expect(() => computeSafetyNumber({ accountKey: new Uint8Array(33) }, bob)).toThrow(RangeError)
  })
})
