import { beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { loadSodium } from '../../../../src/main/core/crypto/sodium'
import {
  LABEL_SENDER_KEY_SIGNATURE,
  aeadEncrypt,
  concatBytes,
  ed25519Sign,
  generateEd25519KeyPair,
  randomBytes
} from '../../../../src/main/core/crypto/primitives'
import { MAX_SKIPPED_KEYS, SenderKeyRecord } from '../../../../src/main/core/crypto/sender-keys/record'
import { decodeDistribution, decodeGroupMessage, encodeGroupMessageHeader, encodeSignedPart } from '../../../../src/main/core/crypto/sender-keys/messages'
import { messageKeySeed, nextChainKey, senderMessageKey } from '../../../../src/main/core/crypto/sender-keys/chain'

const text = (s: string): Uint8Array => new TextEncoder().encode(s)
const read = (b: Uint8Array): string => new TextDecoder().decode(b)

function group(): { groupId: Uint8Array; alice: SenderKeyRecord; bob: SenderKeyRecord; carol: SenderKeyRecord } {
  const groupId = randomBytes(16)
  const alice = SenderKeyRecord.createOwn(groupId)
  const bob = SenderKeyRecord.createEmpty(groupId)
  const carol = SenderKeyRecord.createEmpty(groupId)
  const distribution = alice.distributionMessage()
  expect(bob.processDistribution(distribution)).toEqual({ ok: true })
  expect(carol.processDistribution(distribution)).toEqual({ ok: true })
  return { groupId, alice, bob, carol }
}

beforeAll(async () => {
  await loadSodium()
})

describe('sender-key groups (protocol section 8)', () => {
  it('every member decrypts every message, in any order, exactly once', () => {
    const { alice, bob, carol } = group()
    const messages = ['one', 'two', 'three', 'four'].map((m) => alice.encrypt(text(m)))
    expect(messages.map((m) => bob.decrypt(m)).map((r) => r.ok && read(r.plaintext))).toEqual(['one', 'two', 'three', 'four'])
    for (const index of [3, 0, 2, 1]) {
      const result = carol.decrypt(messages[index] as Uint8Array)
      expect(result.ok && read(result.plaintext)).toBe(['one', 'two', 'three', 'four'][index])
    }
    for (const m of messages) expect(carol.decrypt(m)).toEqual({ ok: false, reason: 'duplicate-or-expired' })
  })

  it('property: random delivery orders with duplicates decrypt each message exactly once', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(11), { minLength: 1, maxLength: 40 }), (deliveries) => {
        const { alice, bob } = group()
        const messages = Array.from({ length: 12 }, (_, i) => alice.encrypt(text(`m${i}`)))
        const delivered = new Set<number>()
        for (const index of deliveries) {
          const result = bob.decrypt(messages[index] as Uint8Array)
          if (delivered.has(index)) expect(result).toEqual({ ok: false, reason: 'duplicate-or-expired' })
          else expect(result.ok && read(result.plaintext)).toBe(`m${index}`)
          delivered.add(index)
        }
      }),
      { numRuns: 40 }
    )
  })

  it('a sender state restored from a backup never repeats a nonce; either message decrypts for a member (decision 0016)', () => {
    const { alice, bob } = group()
    alice.encrypt(text('before the backup'))
    const backup = alice.serialize()
    const restoredA = SenderKeyRecord.deserialize(backup)
    const restoredB = SenderKeyRecord.deserialize(backup)
    if (!restoredA || !restoredB) throw new Error('backup did not load')
    const first = restoredA.encrypt(text('sent before the crash'))
    const second = restoredB.encrypt(text('a different message after restoring'))
    const a = decodeGroupMessage(first)
    const b = decodeGroupMessage(second)
    if (!a || !b) throw new Error('did not decode')
    expect(a.iteration).toBe(b.iteration)
    expect(Buffer.from(a.nonce).equals(Buffer.from(b.nonce))).toBe(false)
    const state = bob.serialize()
    expect(bob.decrypt(second)).toEqual({ ok: true, plaintext: text('a different message after restoring') })
    const other = SenderKeyRecord.deserialize(state)
    expect(other?.decrypt(first)).toEqual({ ok: true, plaintext: text('sent before the crash') })
  })

  it('a forged member signature is rejected and changes nothing', () => {
    const { alice, bob, carol } = group()
    alice.encrypt(text('warm up'))
    // Carol knows Alice's chain key (every member does) but not Alice's signing key.
    const stolen = decodeDistribution(alice.distributionMessage())
    if (!stolen) throw new Error('distribution did not decode')
    const nonce = new Uint8Array(24).fill(9)
    const key = senderMessageKey(messageKeySeed(stolen.chainKey), nonce)
    const header = encodeGroupMessageHeader(stolen.distributionId, stolen.chainId, stolen.iteration, nonce)
    const signedPart = encodeSignedPart(header, aeadEncrypt(key, nonce, text('send money to carol'), header))
    const forged = concatBytes(signedPart, ed25519Sign(generateEd25519KeyPair().secretKey, concatBytes(LABEL_SENDER_KEY_SIGNATURE, signedPart)))
    const before = bob.serialize()
    expect(bob.decrypt(forged)).toEqual({ ok: false, reason: 'bad-signature' })
    expect(bob.serialize()).toEqual(before)
    expect(carol.decrypt(forged).ok).toBe(false)
  })

  it('bit flips anywhere are rejected and leave the state byte-identical', () => {
    const { alice, bob } = group()
    const message = alice.encrypt(text('hello group'))
    const before = bob.serialize()
    for (let i = 0; i < message.length; i++) {
      const flipped = message.slice()
      flipped[i] = (flipped[i] ?? 0) ^ 0x04
      expect(bob.decrypt(flipped).ok).toBe(false)
    }
    expect(bob.decrypt(message.subarray(0, message.length - 1))).toEqual({ ok: false, reason: 'malformed' })
    expect(bob.serialize()).toEqual(before)
    expect(bob.decrypt(message).ok).toBe(true)
  })

  it('rotation on removal: the removed member cannot read later messages, the others can', () => {
    const { alice, bob, carol } = group()
    const beforeRemoval = alice.encrypt(text('before'))
    alice.rotate()
    expect(bob.processDistribution(alice.distributionMessage())).toEqual({ ok: true }) // Carol is not sent it
    const afterRemoval = alice.encrypt(text('after'))
    expect(carol.decrypt(afterRemoval)).toEqual({ ok: false, reason: 'unknown-chain' })
    const bobReads = bob.decrypt(afterRemoval)
    expect(bobReads.ok && read(bobReads.plaintext)).toBe('after')
    // A message sent before the rotation but delivered after it still opens for those who had the old chain.
    expect(bob.decrypt(beforeRemoval).ok).toBe(true)
    expect(carol.decrypt(beforeRemoval).ok).toBe(true)
  })

  it('a new member receives only the current iteration and cannot read earlier messages', () => {
    const { groupId, alice } = group()
    const early = alice.encrypt(text('early'))
    const dave = SenderKeyRecord.createEmpty(groupId)
    dave.processDistribution(alice.distributionMessage())
    expect(dave.decrypt(early)).toEqual({ ok: false, reason: 'duplicate-or-expired' })
    expect(dave.decrypt(alice.encrypt(text('later'))).ok).toBe(true)
  })

  it('refuses a forward jump over 25,000 before any KDF work and caps stored keys at 2,000', () => {
    const { alice, bob } = group()
    // Move Alice's sending chain far ahead through its serialized state: the iteration field
    // (bytes 23..27) and the chain key at that iteration (bytes 27..59), derived step by step.
    const bytes = alice.serialize()
    const view = new DataView(bytes.buffer, bytes.byteOffset)
    const chainKeys: Uint8Array[] = [bytes.slice(27, 59)]
    for (let i = 1; i <= 25_001; i++) chainKeys.push(nextChainKey(chainKeys[i - 1] as Uint8Array))
    const jumpedAlice = (iteration: number): SenderKeyRecord => {
      view.setUint32(23, iteration, false)
      bytes.set(chainKeys[iteration] as Uint8Array, 27)
      const record = SenderKeyRecord.deserialize(bytes)
      if (!record) throw new Error('state did not deserialize')
      return record
    }
    const before = bob.serialize()
    const tooFar = jumpedAlice(25_001).encrypt(text('x'))
    expect(bob.decrypt(tooFar)).toEqual({ ok: false, reason: 'too-far-ahead' })
    expect(bob.serialize()).toEqual(before)
    const farthest = jumpedAlice(25_000).encrypt(text('y'))
    const ok = bob.decrypt(farthest)
    expect(ok.ok && read(ok.plaintext)).toBe('y')
    // Only the newest 2,000 skipped keys were kept.
    const restored = SenderKeyRecord.deserialize(bob.serialize())
    expect(restored).not.toBeNull()
    expect(bob.serialize().length).toBeLessThan(before.length + MAX_SKIPPED_KEYS * 36 + 100)
    expect(bob.decrypt(jumpedAlice(25_000 - MAX_SKIPPED_KEYS - 1).encrypt(text('old')))).toEqual({
      ok: false,
      reason: 'duplicate-or-expired'
    })
    expect(bob.decrypt(jumpedAlice(25_000 - MAX_SKIPPED_KEYS).encrypt(text('kept'))).ok).toBe(true)
  })

  it('serializes, restores and keeps decrypting; rejects corrupt state', () => {
    const { alice, bob } = group()
    const first = alice.encrypt(text('1'))
    const second = alice.encrypt(text('2'))
    expect(bob.decrypt(second).ok).toBe(true)
    const restoredBob = SenderKeyRecord.deserialize(bob.serialize())
    const restoredAlice = SenderKeyRecord.deserialize(alice.serialize())
    if (!restoredBob || !restoredAlice) throw new Error('state did not deserialize')
    expect(restoredBob.decrypt(first).ok).toBe(true)
    expect(restoredBob.decrypt(restoredAlice.encrypt(text('3'))).ok).toBe(true)
    const bytes = bob.serialize()
    expect(SenderKeyRecord.deserialize(bytes.subarray(0, bytes.length - 1))).toBeNull()
    expect(SenderKeyRecord.deserialize(Uint8Array.of(...bytes, 0))).toBeNull()
  })

  it('rejects distributions for another group and a conflicting key under a known chain id', () => {
    const { alice, bob } = group()
    const other = SenderKeyRecord.createOwn(randomBytes(16))
    expect(bob.processDistribution(other.distributionMessage())).toEqual({ ok: false, reason: 'wrong-distribution' })
    expect(bob.processDistribution(alice.distributionMessage())).toEqual({ ok: true })
    const conflicting = alice.distributionMessage()
    conflicting.set(generateEd25519KeyPair().publicKey, conflicting.length - 32)
    expect(bob.processDistribution(conflicting)).toEqual({ ok: false, reason: 'conflicting-chain' })
    expect(bob.processDistribution(conflicting.subarray(3))).toEqual({ ok: false, reason: 'malformed' })
    expect(() => bob.encrypt(text('receivers cannot send'))).toThrow(RangeError)
  })
})
