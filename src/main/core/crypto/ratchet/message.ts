import { ByteReader, ByteWriter, DecodeError } from '../primitives/byte-io'
import { AEAD_NONCE_BYTES, AEAD_TAG_BYTES } from '../primitives/aead'
import { PROTOCOL_VERSION, StructureType } from '../primitives/encoding'
import { MAX_HEADER_CIPHERTEXT_BYTES } from './limits'

/**
 * Ratchet message on the wire, docs/protocol.md section 4.4:
 *   0x01 || 0x30 || header nonce(24) || u16 len || encrypted header(len) || body ciphertext
 * All parts are views into the message bytes. `prefix` (everything before the body) is bound into the body's associated
 * data, as the Double Ratchet spec section 4 binds enc_header.
 */
export interface RatchetMessageParts {
  readonly headerNonce: Uint8Array
  readonly encryptedHeader: Uint8Array
  readonly body: Uint8Array
  readonly prefix: Uint8Array
}

export function encodeRatchetMessage(headerNonce: Uint8Array, encryptedHeader: Uint8Array, body: Uint8Array): Uint8Array {
  return new ByteWriter(2 + AEAD_NONCE_BYTES + 2 + encryptedHeader.length + body.length)
    .u8(PROTOCOL_VERSION)
    .u8(StructureType.RatchetMessage)
    .bytes(headerNonce)
    .u16(encryptedHeader.length)
    .bytes(encryptedHeader)
    .bytes(body)
    .finish()
}

/** The bytes a header/body split produces, or null when the framing is malformed. */
export function decodeRatchetMessage(bytes: Uint8Array): RatchetMessageParts | null {
  try {
    // Views into the caller's bytes (read only; nothing keeps or wipes them).
    const reader = new ByteReader(bytes, true)
    if (reader.u8() !== PROTOCOL_VERSION || reader.u8() !== StructureType.RatchetMessage) return null
    const headerNonce = reader.bytes(AEAD_NONCE_BYTES)
    const headerLength = reader.u16()
    if (headerLength < AEAD_TAG_BYTES || headerLength > MAX_HEADER_CIPHERTEXT_BYTES) return null
    const encryptedHeader = reader.bytes(headerLength)
    const prefixLength = 2 + AEAD_NONCE_BYTES + 2 + headerLength
    if (bytes.length - prefixLength < AEAD_TAG_BYTES) return null
    return { headerNonce, encryptedHeader, body: bytes.subarray(prefixLength), prefix: bytes.subarray(0, prefixLength) }
  } catch (error) {
    if (error instanceof DecodeError) return null
    throw error
  }
}
