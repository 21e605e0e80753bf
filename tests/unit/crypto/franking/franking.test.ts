import { beforeAll, describe, expect, it } from 'vitest'
import { loadSodium } from '../../../../src/main/core/crypto/sodium'
import { generateEd25519KeyPair, randomBytes, type Ed25519KeyPair } from '../../../../src/main/core/crypto/primitives'
import type { FrankingContext } from '../../../../src/main/core/crypto/franking/commitment'
import {
  computeFrankingCommitment,
  decodeFrankingContext,
  encodeFrankingContext,
  frankingAssociatedData
} from '../../../../src/main/core/crypto/franking/commitment'
import { checkOpening, frankMessage } from '../../../../src/main/core/crypto/franking/frank'
import { STAMP_BYTES, stampCommitment, verifyStamp } from '../../../../src/main/core/crypto/franking/stamp'
import { encryptAttachment } from '../../../../src/main/core/crypto/franking/attachment'

let device: Ed25519KeyPair
let relay: Ed25519KeyPair

function context(overrides: Partial<FrankingContext> = {}): FrankingContext {
  return {
    conversationId: new Uint8Array(32).fill(1),
    messageId: new Uint8Array(16).fill(2),
    senderAccountKey: new Uint8Array(32).fill(3),
    senderDeviceKey: device.publicKey,
    recipientMailbox: new Uint8Array(32).fill(5),
    sentAtMs: 1_760_000_000_000,
    ...overrides
  }
}

beforeAll(async () => {
  await loadSodium()
  device = generateEd25519KeyPair()
  relay = generateEd25519KeyPair()
})

describe('franking commitment (protocol section 10.1)', () => {
  it('context encoding round-trips and has the fixed length', () => {
    const encoded = encodeFrankingContext(context())
    expect(encoded.length).toBe(152)
    expect(encodeFrankingContext(decodeFrankingContext(encoded))).toEqual(encoded)
  })

  it('changes when any input changes, including a moved byte between plaintext and attachments', () => {
    const fk = randomBytes(32)
    const plaintext = new TextEncoder().encode('hello')
    const attachment = { plaintextSha256: randomBytes(32), ciphertextSha256: randomBytes(32) }
    const base = computeFrankingCommitment(fk, context(), plaintext, [attachment])
    const variants = [
      computeFrankingCommitment(randomBytes(32), context(), plaintext, [attachment]),
      computeFrankingCommitment(fk, context({ sentAtMs: 1_760_000_000_001 }), plaintext, [attachment]),
      computeFrankingCommitment(fk, context({ conversationId: new Uint8Array(32).fill(9) }), plaintext, [attachment]),
      computeFrankingCommitment(fk, context(), new TextEncoder().encode('hellO'), [attachment]),
      computeFrankingCommitment(fk, context(), plaintext, []),
      computeFrankingCommitment(fk, context(), plaintext, [attachment, attachment])
    ]
    for (const v of variants) expect(v).not.toEqual(base)
    expect(computeFrankingCommitment(fk, context(), plaintext, [attachment])).toEqual(base)
  })

  it('rejects a franking key that is not exactly 32 bytes (no k vs k||0x00 ambiguity)', () => {
    expect(() => computeFrankingCommitment(new Uint8Array(31), context(), new Uint8Array(1), [])).toThrow(RangeError)
    expect(() => computeFrankingCommitment(new Uint8Array(33), context(), new Uint8Array(1), [])).toThrow(RangeError)
  })

  it('binds C into the AEAD associated data with a label', () => {
    const c = randomBytes(32)
    const ad = frankingAssociatedData(c)
    expect(new TextDecoder().decode(ad.subarray(0, ad.length - 32))).toBe('tessera-frank-ad-v1')
    expect(ad.subarray(ad.length - 32)).toEqual(c)
  })
})

describe('sender opening checked by the recipient (section 10.2)', () => {
  it('opens for the exact message and fails for an altered one', () => {
    const plaintext = new TextEncoder().encode('meet at noon')
    const attachment = encryptAttachment(new TextEncoder().encode('photo'), randomBytes).reference
    const franked = frankMessage(
      { context: context(), plaintext, attachments: [attachment], deviceSigningSecretKey: device.secretKey },
      randomBytes
    )
    const good = { commitment: franked.commitment, opening: franked.opening, context: context(), plaintext, attachments: [attachment] }
    expect(checkOpening(good).ok).toBe(true)
    expect(checkOpening({ ...good, plaintext: new TextEncoder().encode('meet at one') })).toEqual({
      ok: false,
      reason: 'commitment-mismatch'
    })
    expect(checkOpening({ ...good, attachments: [] })).toEqual({ ok: false, reason: 'commitment-mismatch' })
    expect(checkOpening({ ...good, opening: franked.opening.subarray(1) })).toEqual({ ok: false, reason: 'malformed-opening' })
    const badSig = franked.opening.slice()
    badSig[badSig.length - 1] = (badSig[badSig.length - 1] ?? 0) ^ 1
    expect(checkOpening({ ...good, opening: badSig })).toEqual({ ok: false, reason: 'bad-sender-signature' })
  })

  it('refuses to frank under a context that names another device key', () => {
    const other = generateEd25519KeyPair()
    expect(() =>
      frankMessage(
        { context: context({ senderDeviceKey: other.publicKey }), plaintext: new Uint8Array(1), attachments: [], deviceSigningSecretKey: device.secretKey },
        randomBytes
      )
    ).toThrow(RangeError)
  })
})

describe('relay stamp (section 10.3)', () => {
  it('verifies under the relay key and fails on any bit flip or another key', () => {
    const c = randomBytes(32)
    const mailbox = randomBytes(32)
    const stamp = stampCommitment(relay.secretKey, c, mailbox, 1_760_000_000_123)
    expect(stamp.length).toBe(STAMP_BYTES)
    const verified = verifyStamp(stamp, relay.publicKey)
    expect(verified.ok && verified.stamp.receivedAtMs).toBe(1_760_000_000_123)
    expect(verified.ok && verified.stamp.commitment).toEqual(c)
    for (let i = 1; i < stamp.length; i += 7) {
      const flipped = stamp.slice()
      flipped[i] = (flipped[i] ?? 0) ^ 0x10
      expect(verifyStamp(flipped, relay.publicKey).ok).toBe(false)
    }
    expect(verifyStamp(stamp, generateEd25519KeyPair().publicKey)).toEqual({ ok: false, reason: 'bad-relay-signature' })
    expect(verifyStamp(stamp.subarray(1), relay.publicKey)).toEqual({ ok: false, reason: 'malformed-stamp' })
  })
})
