import { ByteReader, ByteWriter, DecodeError } from '../primitives/byte-io'
import { KeyType, PROTOCOL_VERSION, StructureType, decodePublicKey, encodePublicKey, encodedKeyLength } from '../primitives/encoding'
import { XWING_CIPHERTEXT_BYTES } from '../primitives/xwing'
import { DEVICE_CERTIFICATE_BYTES } from '../identity/device-certificate'
import type { PendingInitial } from '../ratchet/session-state'

/**
 * Initial message, docs/protocol.md section 3.3 (PQXDH spec section 3.3
 * "Sending the initial message"):
 *   0x01 || 0x31 || sender device certificate (177)
 *   || u32 signedPreKeyId || u8 hasOneTime || [u32 oneTimePreKeyId]
 *   || u32 kemPreKeyId || Enc(base key, X25519) || X-Wing ciphertext(1120)
 *   || u32 len || ratchet message (section 4.4)
 * The initiator wraps every message in this form until it decrypts a reply.
 */
export interface InitialMessage extends PendingInitial {
  readonly ratchetMessage: Uint8Array
}

const MAX_RATCHET_MESSAGE_BYTES = 64 * 1024 * 1024

export function encodeInitialMessage(pending: PendingInitial, ratchetMessage: Uint8Array): Uint8Array {
  const writer = new ByteWriter(1400 + ratchetMessage.length)
    .u8(PROTOCOL_VERSION)
    .u8(StructureType.InitialMessage)
    .bytes(pending.senderCertificate)
    .u32(pending.signedPreKeyId)
    .u8(pending.oneTimePreKeyId === undefined ? 0 : 1)
  if (pending.oneTimePreKeyId !== undefined) writer.u32(pending.oneTimePreKeyId)
  return writer
    .u32(pending.kemPreKeyId)
    .bytes(encodePublicKey(KeyType.X25519, pending.baseKey))
    .bytes(pending.kemCiphertext)
    .varBytes(ratchetMessage)
    .finish()
}

/** True when the bytes claim to be an initial message (version and type bytes). */
export function isInitialMessage(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === PROTOCOL_VERSION && bytes[1] === StructureType.InitialMessage
}

export function decodeInitialMessage(bytes: Uint8Array): InitialMessage | null {
  try {
    const reader = new ByteReader(bytes)
    if (reader.u8() !== PROTOCOL_VERSION || reader.u8() !== StructureType.InitialMessage) return null
    const senderCertificate = reader.bytes(DEVICE_CERTIFICATE_BYTES)
    const signedPreKeyId = reader.u32()
    const hasOneTime = reader.u8()
    if (hasOneTime > 1) return null
    const oneTimePreKeyId = hasOneTime === 1 ? reader.u32() : undefined
    const kemPreKeyId = reader.u32()
    const baseKey = decodePublicKey(KeyType.X25519, reader.bytes(encodedKeyLength(KeyType.X25519)))
    const kemCiphertext = reader.bytes(XWING_CIPHERTEXT_BYTES)
    const ratchetMessage = reader.varBytes(MAX_RATCHET_MESSAGE_BYTES)
    reader.end()
    if (!baseKey) return null
    return { senderCertificate, signedPreKeyId, oneTimePreKeyId, kemPreKeyId, baseKey, kemCiphertext, ratchetMessage }
  } catch (error) {
    if (error instanceof DecodeError) return null
    throw error
  }
}
