import { ByteReader, ByteWriter, DecodeError } from '../primitives/byte-io'
import { ED25519_SIGNATURE_BYTES } from '../primitives/ed25519'
import { KeyType, PROTOCOL_VERSION, decodePublicKey, encodePublicKey, encodedKeyLength } from '../primitives/encoding'
import { CHAIN_KEY_BYTES, SENDER_KEY_NONCE_BYTES } from './chain'

/**
 * Wire formats of sender-key groups (docs/protocol.md section 8.1).
 *
 * Distribution (sent to each member over the pairwise sessions, whose
 * ratchet authenticates it; libsignal SenderKeyDistributionMessage):
 *   0x01 || 0x52 || distributionId (16) || u32 chainId || u32 iteration || chainKey (32) || Enc(Ed25519 signing key)
 *
 * Group message (libsignal SenderKeyMessage):
 *   0x01 || 0x53 || distributionId (16) || u32 chainId || u32 iteration || nonce (24) || u32 len || ciphertext || sig (64)
 *   sig = Ed25519(chain signing key, "Tessera v1 sender key message" || all preceding bytes)
 *   AEAD associated data = the 50 header bytes before the length field; AEAD nonce = nonce.
 */

export const DISTRIBUTION_TYPE = 0x52
export const GROUP_MESSAGE_TYPE = 0x53
export const DISTRIBUTION_ID_BYTES = 16
export const MAX_GROUP_CIPHERTEXT_BYTES = 1024 * 1024 + 16
export const GROUP_MESSAGE_HEADER_BYTES = 2 + DISTRIBUTION_ID_BYTES + 4 + 4 + SENDER_KEY_NONCE_BYTES
const ED25519_ENC = encodedKeyLength(KeyType.Ed25519)

export interface SenderKeyDistribution {
  readonly distributionId: Uint8Array
  readonly chainId: number
  readonly iteration: number
  readonly chainKey: Uint8Array
  readonly signingKey: Uint8Array
}

export interface GroupMessage {
  readonly distributionId: Uint8Array
  readonly chainId: number
  readonly iteration: number
  /** Fresh random per message: the AEAD nonce, and mixed into the message key (decision 0016). */
  readonly nonce: Uint8Array
  readonly ciphertext: Uint8Array
  readonly signature: Uint8Array
  /** Everything the signature covers (without the label). */
  readonly signedBytes: Uint8Array
  /** The AEAD associated data. */
  readonly header: Uint8Array
}

export function encodeDistribution(d: SenderKeyDistribution): Uint8Array {
  return new ByteWriter(2 + DISTRIBUTION_ID_BYTES + 8 + CHAIN_KEY_BYTES + ED25519_ENC)
    .u8(PROTOCOL_VERSION)
    .u8(DISTRIBUTION_TYPE)
    .bytes(d.distributionId)
    .u32(d.chainId)
    .u32(d.iteration)
    .bytes(d.chainKey)
    .bytes(encodePublicKey(KeyType.Ed25519, d.signingKey))
    .finish(true)
}

export function decodeDistribution(bytes: Uint8Array): SenderKeyDistribution | null {
  try {
    const reader = new ByteReader(bytes)
    if (reader.u8() !== PROTOCOL_VERSION || reader.u8() !== DISTRIBUTION_TYPE) return null
    const distributionId = reader.bytes(DISTRIBUTION_ID_BYTES)
    const chainId = reader.u32()
    const iteration = reader.u32()
    const chainKey = reader.bytes(CHAIN_KEY_BYTES)
    const signingKey = decodePublicKey(KeyType.Ed25519, reader.bytes(ED25519_ENC))
    reader.end()
    if (!signingKey) return null
    return { distributionId, chainId, iteration, chainKey, signingKey }
  } catch (error) {
    if (error instanceof DecodeError) return null
    throw error
  }
}

export function encodeGroupMessageHeader(distributionId: Uint8Array, chainId: number, iteration: number, nonce: Uint8Array): Uint8Array {
  return new ByteWriter(GROUP_MESSAGE_HEADER_BYTES)
    .u8(PROTOCOL_VERSION)
    .u8(GROUP_MESSAGE_TYPE)
    .bytes(distributionId)
    .u32(chainId)
    .u32(iteration)
    .bytes(nonce)
    .finish()
}

/** header || u32 len || ciphertext: the bytes the signature covers. */
export function encodeSignedPart(header: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  return new ByteWriter(header.length + 4 + ciphertext.length).bytes(header).varBytes(ciphertext).finish()
}

export function decodeGroupMessage(bytes: Uint8Array): GroupMessage | null {
  try {
    const reader = new ByteReader(bytes)
    if (reader.u8() !== PROTOCOL_VERSION || reader.u8() !== GROUP_MESSAGE_TYPE) return null
    const distributionId = reader.bytes(DISTRIBUTION_ID_BYTES)
    const chainId = reader.u32()
    const iteration = reader.u32()
    const nonce = reader.bytes(SENDER_KEY_NONCE_BYTES)
    const ciphertext = reader.varBytes(MAX_GROUP_CIPHERTEXT_BYTES)
    const signature = reader.bytes(ED25519_SIGNATURE_BYTES)
    reader.end()
    if (ciphertext.length < 16) return null
    return {
      distributionId,
      chainId,
      iteration,
      nonce,
      ciphertext,
      signature,
      signedBytes: bytes.slice(0, bytes.length - ED25519_SIGNATURE_BYTES),
      header: bytes.slice(0, GROUP_MESSAGE_HEADER_BYTES)
    }
  } catch (error) {
    if (error instanceof DecodeError) return null
    throw error
  }
}
