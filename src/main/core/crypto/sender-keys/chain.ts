import { assertBytes } from '../primitives/bytes'
import { hkdfSha256 } from '../primitives/hkdf'
import { hmacSha256 } from '../primitives/hmac'
import { concatBytes } from '../primitives/bytes'
import { CHAIN_KDF_CHAIN_KEY_INPUT, CHAIN_KDF_MESSAGE_KEY_INPUT, LABEL_SENDER_KEY_BODY_KEY } from '../primitives/labels'

/**
 * The sender chain (docs/protocol.md section 8.2), as libsignal's
 * sender_keys.rs SenderChainKey / SenderMessageKey:
 *
 *   messageKeySeed(i) = HMAC-SHA256(chainKey_i, 0x01)
 *   chainKey_{i+1}    = HMAC-SHA256(chainKey_i, 0x02)
 *   key               = HKDF(messageKeySeed, salt = 32 zero bytes, "Tessera v1 sender key message body key" || nonce, 32)
 *
 * where nonce is 24 fresh random bytes carried in the message and used as
 * the XChaCha20-Poly1305 nonce. libsignal expands to an AES-256-CBC key and
 * IV with info "WhisperGroup"; Tessera derived key and nonce from the seed
 * alone until decision 0016 (a rolled-back sender state then repeated them).
 */

export const CHAIN_KEY_BYTES = 32
const ZERO_SALT = new Uint8Array(32)

export function nextChainKey(chainKey: Uint8Array): Uint8Array {
  assertBytes(chainKey, CHAIN_KEY_BYTES, 'chainKey')
  return hmacSha256(chainKey, CHAIN_KDF_CHAIN_KEY_INPUT)
}

export function messageKeySeed(chainKey: Uint8Array): Uint8Array {
  assertBytes(chainKey, CHAIN_KEY_BYTES, 'chainKey')
  return hmacSha256(chainKey, CHAIN_KDF_MESSAGE_KEY_INPUT)
}

export const SENDER_KEY_NONCE_BYTES = 24

/** The AEAD key of one group message: from its chain seed and its random nonce. */
export function senderMessageKey(seed: Uint8Array, nonce: Uint8Array): Uint8Array {
  assertBytes(seed, 32, 'messageKeySeed')
  assertBytes(nonce, SENDER_KEY_NONCE_BYTES, 'nonce')
  return hkdfSha256(seed, ZERO_SALT, concatBytes(LABEL_SENDER_KEY_BODY_KEY, nonce), 32)
}
