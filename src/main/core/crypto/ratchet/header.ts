import { ByteReader, ByteWriter, DecodeError } from '../primitives/byte-io'
import { assertBytes } from '../primitives/bytes'
import { KeyType, decodePublicKey, encodedKeyLength } from '../primitives/encoding'
import { X25519_KEY_BYTES } from '../primitives/x25519'
import { XWING_CIPHERTEXT_BYTES, XWING_PUBLIC_KEY_BYTES } from '../primitives/xwing'

/**
 * Plaintext ratchet header, docs/protocol.md section 4.3:
 *   Enc(ratchet key, X25519) || u32 pn || u32 n || u8 flags
 *   || [u32 offerId || Enc(X-Wing public key)]      if flags & 0x01 (PQ offer, section 5)
 *   || [u32 answerId || X-Wing ciphertext(1120)]    if flags & 0x02 (PQ answer, section 5)
 * Other flag bits must be zero.
 */
export interface RatchetHeader {
  readonly ratchetKey: Uint8Array
  readonly previousCount: number
  readonly index: number
  readonly kemOffer?: { readonly id: number; readonly publicKey: Uint8Array }
  readonly kemAnswer?: { readonly id: number; readonly ciphertext: Uint8Array }
}

const FLAG_OFFER = 0x01
const FLAG_ANSWER = 0x02

export function encodeHeader(header: RatchetHeader): Uint8Array {
  const size = 42 + (header.kemOffer ? 4 + 1217 : 0) + (header.kemAnswer ? 4 + 1120 : 0)
  assertBytes(header.ratchetKey, X25519_KEY_BYTES, 'ratchet key')
  // Enc(K) (section 0.2.1) written in place: type byte, then the raw key.
  const writer = new ByteWriter(size)
    .u8(KeyType.X25519)
    .bytes(header.ratchetKey)
    .u32(header.previousCount)
    .u32(header.index)
    .u8((header.kemOffer ? FLAG_OFFER : 0) | (header.kemAnswer ? FLAG_ANSWER : 0))
  if (header.kemOffer) {
    assertBytes(header.kemOffer.publicKey, XWING_PUBLIC_KEY_BYTES, 'offer public key')
    writer.u32(header.kemOffer.id).u8(KeyType.XWing).bytes(header.kemOffer.publicKey)
  }
  if (header.kemAnswer) {
    assertBytes(header.kemAnswer.ciphertext, XWING_CIPHERTEXT_BYTES, 'answer ciphertext')
    writer.u32(header.kemAnswer.id).bytes(header.kemAnswer.ciphertext)
  }
  return writer.finish()
}

/** Null when malformed (only reachable after the header authenticated, i.e. a buggy or hostile peer). */
export function decodeHeader(bytes: Uint8Array): RatchetHeader | null {
  try {
    // Views while parsing; every field kept is copied exactly once (callers wipe `bytes`).
    const reader = new ByteReader(bytes, true)
    const ratchetKey = decodePublicKey(KeyType.X25519, reader.bytes(encodedKeyLength(KeyType.X25519)))
    const previousCount = reader.u32()
    const index = reader.u32()
    const flags = reader.u8()
    if (!ratchetKey || (flags & ~(FLAG_OFFER | FLAG_ANSWER)) !== 0) return null
    let kemOffer: RatchetHeader['kemOffer']
    let kemAnswer: RatchetHeader['kemAnswer']
    if (flags & FLAG_OFFER) {
      const id = reader.u32()
      const publicKey = decodePublicKey(KeyType.XWing, reader.bytes(encodedKeyLength(KeyType.XWing)))
      if (!publicKey) return null
      kemOffer = { id, publicKey }
    }
    if (flags & FLAG_ANSWER) {
      const id = reader.u32()
      kemAnswer = { id, ciphertext: reader.bytes(XWING_CIPHERTEXT_BYTES).slice() }
    }
    reader.end()
    return { ratchetKey, previousCount, index, ...(kemOffer ? { kemOffer } : {}), ...(kemAnswer ? { kemAnswer } : {}) }
  } catch (error) {
    if (error instanceof DecodeError) return null
    throw error
  }
}
