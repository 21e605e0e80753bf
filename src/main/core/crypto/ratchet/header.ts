import { ByteReader, ByteWriter, DecodeError } from '../primitives/byte-io'
import { KeyType, decodePublicKey, encodePublicKey, encodedKeyLength } from '../primitives/encoding'
import { XWING_CIPHERTEXT_BYTES } from '../primitives/xwing'

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
  const writer = new ByteWriter(size)
    .bytes(encodePublicKey(KeyType.X25519, header.ratchetKey))
    .u32(header.previousCount)
    .u32(header.index)
    .u8((header.kemOffer ? FLAG_OFFER : 0) | (header.kemAnswer ? FLAG_ANSWER : 0))
  if (header.kemOffer) writer.u32(header.kemOffer.id).bytes(encodePublicKey(KeyType.XWing, header.kemOffer.publicKey))
  if (header.kemAnswer) writer.u32(header.kemAnswer.id).bytes(header.kemAnswer.ciphertext)
  return writer.finish()
}

/** Null when malformed (only reachable after the header authenticated, i.e. a buggy or hostile peer). */
export function decodeHeader(bytes: Uint8Array): RatchetHeader | null {
  try {
    const reader = new ByteReader(bytes)
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
      kemAnswer = { id, ciphertext: reader.bytes(XWING_CIPHERTEXT_BYTES) }
    }
    reader.end()
    return { ratchetKey, previousCount, index, ...(kemOffer ? { kemOffer } : {}), ...(kemAnswer ? { kemAnswer } : {}) }
  } catch (error) {
    if (error instanceof DecodeError) return null
    throw error
  }
}
