import { beforeAll, describe, expect, it } from 'vitest'
import { loadSodium } from '../../../../src/main/core/crypto/sodium'
import { kdfRoot } from '../../../../src/main/core/crypto/ratchet/kdf'
import { PQ_STEP_MESSAGE_INTERVAL, PQ_STEP_TIME_INTERVAL_MS } from '../../../../src/main/core/crypto/ratchet/limits'
import { SessionRecord } from '../../../../src/main/core/crypto/session/session-record'
import { equalBytes } from '../../../../src/main/core/crypto/primitives/bytes'
import { establish, text } from '../session/establish'

beforeAll(async () => {
  await loadSodium()
})

const OFFER_BYTES = 4 + 1217
const ANSWER_BYTES = 4 + 1120

describe('sparse post-quantum ratchet step (docs/protocol.md section 5)', () => {
  it(`within ${PQ_STEP_MESSAGE_INTERVAL} messages an X-Wing offer rides in every header until the peer's next chain answers it`, async () => {
    const { alice, bob } = await establish()
    const plainSize = alice.encrypt(text('size probe')).length
    expect(bob.decrypt(alice.encrypt(text('size probe'))).ok).toBe(true)
    // 1. Alice keeps sending; within the interval her headers start carrying an offer.
    const sizes: number[] = []
    for (let i = 0; i < PQ_STEP_MESSAGE_INTERVAL; i++) {
      const message = alice.encrypt(text('size probe'))
      sizes.push(message.length)
      expect(bob.decrypt(message).ok).toBe(true)
    }
    const firstOffer = sizes.indexOf(plainSize + OFFER_BYTES)
    expect(firstOffer).toBeGreaterThan(0)
    expect(sizes.slice(0, firstOffer).every((size) => size === plainSize)).toBe(true)
    expect(sizes.slice(firstOffer).every((size) => size === plainSize + OFFER_BYTES)).toBe(true)
    // 2. Bob's current chain predates the offer: no answer yet.
    const bobTurn = bob.encrypt(text('size probe'))
    const bobPlain = bobTurn.length
    expect(alice.decrypt(bobTurn).ok).toBe(true)
    // 3. Alice's new chain still carries the offer; Bob answers on his next chain.
    const stillOffering = alice.encrypt(text('size probe'))
    expect(stillOffering.length).toBe(plainSize + OFFER_BYTES)
    expect(bob.decrypt(stillOffering).ok).toBe(true)
    const answered = bob.encrypt(text('size probe'))
    expect(answered.length).toBe(bobPlain + ANSWER_BYTES)
    // A corrupted answer-carrying message changes nothing: the offer stays pending.
    const before = alice.serialize()
    const corrupted = answered.slice()
    corrupted[corrupted.length - 5] = (corrupted[corrupted.length - 5] as number) ^ 0x10
    expect(alice.decrypt(corrupted)).toEqual({ ok: false, reason: 'auth-failed' })
    expect(alice.serialize()).toEqual(before)
    // 4. Alice decapsulates while ratcheting onto that chain; her offer is done.
    expect(alice.decrypt(answered)).toEqual({ ok: true, plaintext: text('size probe') })
    const after = alice.encrypt(text('size probe'))
    expect(after.length).toBe(plainSize)
    expect(bob.decrypt(after).ok).toBe(true)
  })

  it('the answer completes the step on both sides and both keep talking', async () => {
    const { alice, bob } = await establish()
    let sawOffer = false
    let sawAnswer = false
    const baseA = alice.encrypt(text('p')).length
    const baseB = bob.encrypt(text('p')).length
    expect(bob.decrypt(alice.encrypt(text('sync'))).ok).toBe(true)
    for (let round = 0; round < 12; round++) {
      for (let i = 0; i < 10; i++) {
        const m = alice.encrypt(text('p'))
        if (m.length > baseA + 1000) sawOffer = true
        expect(bob.decrypt(m).ok).toBe(true)
      }
      for (let i = 0; i < 10; i++) {
        const m = bob.encrypt(text('p'))
        if (m.length > baseB + 1000) sawAnswer = true
        expect(alice.decrypt(m).ok).toBe(true)
      }
    }
    expect(sawOffer || sawAnswer).toBe(true)
    expect(sawAnswer).toBe(true)
  })

  it('after 24 hours the next message starts a step even without traffic', async () => {
    let clock = 1_700_000_000_000
    const now = () => clock
    const { alice } = await establish({ now })
    const aliceWithClock = SessionRecord.deserialize(alice.serialize(), { now })
    const before = aliceWithClock.encrypt(text('p')).length
    clock += PQ_STEP_TIME_INTERVAL_MS
    expect(aliceWithClock.encrypt(text('p')).length).toBe(before + OFFER_BYTES)
  })

  it('mixing a KEM secret into KDF_RK changes every output and uses its own label', () => {
    const rootKey = new Uint8Array(32).fill(1)
    const dh = new Uint8Array(32).fill(2)
    const classical = kdfRoot(rootKey, dh)
    const hybrid = kdfRoot(rootKey, dh, new Uint8Array(32).fill(3))
    const otherSecret = kdfRoot(rootKey, dh, new Uint8Array(32).fill(4))
    for (const key of ['rootKey', 'chainKey', 'nextHeaderKey'] as const) {
      expect(equalBytes(classical[key], hybrid[key])).toBe(false)
      expect(equalBytes(hybrid[key], otherSecret[key])).toBe(false)
    }
    // An all-zero KEM secret is still a different KDF input than none at all.
    expect(equalBytes(kdfRoot(rootKey, dh, new Uint8Array(32)).rootKey, classical.rootKey)).toBe(false)
  })
})
