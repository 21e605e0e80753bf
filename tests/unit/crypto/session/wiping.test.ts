import { beforeAll, describe, expect, it } from 'vitest'
import { loadSodium } from '../../../../src/main/core/crypto/sodium'
import { cloneState, secretBuffers, wipeDropped, type SessionState } from '../../../../src/main/core/crypto/ratchet/session-state'
import { readSessionState } from '../../../../src/main/core/crypto/ratchet/session-state-codec'
import { ByteReader } from '../../../../src/main/core/crypto/primitives/byte-io'
import { KemPreKeyKind } from '../../../../src/main/core/crypto/prekeys/prekeys'
import { establish, text } from './establish'
import { makeParty } from './fixtures'

beforeAll(async () => {
  await loadSodium()
})

/** The current session state inside serialized record bytes (record header: version, type, hasCurrent). */
function currentState(record: Uint8Array): SessionState {
  return readSessionState(new ByteReader(record.subarray(3)))
}

describe('secret wiping', () => {
  it('wipeDropped zeroes exactly the secrets the next state no longer references', async () => {
    const { alice } = await establish()
    const previous = currentState(alice.serialize())
    const next = cloneState(previous)
    const replacedRoot = previous.rootKey
    next.rootKey = new Uint8Array(32).fill(7)
    const kept = previous.nextReceiveHeaderKey
    const keptCopy = kept.slice()
    wipeDropped(previous, next)
    expect(replacedRoot.every((byte) => byte === 0)).toBe(true)
    expect(kept).toEqual(keptCopy)
    expect(next.rootKey.every((byte) => byte === 7)).toBe(true)
    expect(secretBuffers(next)).toContain(kept)
  })

  it('consuming one-time prekeys zeroes their secrets', async () => {
    const bob = await makeParty(2)
    const oneTime = bob.preKeys.oneTimePreKeySecret(100) as Uint8Array
    const kem = bob.preKeys.kemPreKeySecret(2)?.secretKey as Uint8Array
    expect(oneTime.some((byte) => byte !== 0)).toBe(true)
    bob.preKeys.consume({ oneTimePreKeyId: 100, oneTimeKemPreKeyId: 2 })
    expect(oneTime.every((byte) => byte === 0)).toBe(true)
    expect(kem.every((byte) => byte === 0)).toBe(true)
    expect(bob.preKeys.oneTimePreKeySecret(100)).toBeUndefined()
    // A last-resort KEM prekey is never consumed.
    bob.preKeys.consume({ oneTimeKemPreKeyId: 1 })
    expect(bob.preKeys.kemPreKeySecret(1)?.kind).toBe(KemPreKeyKind.LastResort)
  })

  it('decryption keeps working after commits wiped the previous states', async () => {
    const { alice, bob } = await establish()
    for (let i = 0; i < 30; i++) {
      expect(bob.decrypt(alice.encrypt(text(`a${i}`))).ok).toBe(true)
      if (i % 3 === 0) expect(alice.decrypt(bob.encrypt(text(`b${i}`))).ok).toBe(true)
    }
  })
})
