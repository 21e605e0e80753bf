import { assertBytes } from '../primitives/bytes'
import { hkdfSha256 } from '../primitives/hkdf'
import { hmacSha256 } from '../primitives/hmac'
import { CHAIN_KDF_CHAIN_KEY_INPUT, CHAIN_KDF_MESSAGE_KEY_INPUT, LABEL_SENDER_KEY_MESSAGE_KEYS } from '../primitives/labels'

/**
 * The sender chain (docs/protocol.md section 8.2), as libsignal's
 * sender_keys.rs SenderChainKey / SenderMessageKey:
 *
 *   messageKeySeed(i) = HMAC-SHA256(chainKey_i, 0x01)
 *   chainKey_{i+1}    = HMAC-SHA256(chainKey_i, 0x02)
 *   key || nonce      = HKDF(messageKeySeed, salt = 32 zero bytes, "Tessera v1 sender key message keys", 56)
 *
 * libsignal expands to an AES-256-CBC key and IV with info "WhisperGroup";
 * Tessera derives an XChaCha20-Poly1305 key and nonce instead.
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

export interface MessageKeys {
  readonly key: Uint8Array
  readonly nonce: Uint8Array
}

export function expandMessageKeys(seed: Uint8Array): MessageKeys {
  assertBytes(seed, 32, 'messageKeySeed')
  const okm = hkdfSha256(seed, ZERO_SALT, LABEL_SENDER_KEY_MESSAGE_KEYS, 56)
  return { key: okm.slice(0, 32), nonce: okm.slice(32, 56) }
}
