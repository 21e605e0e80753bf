import { createHmac } from 'node:crypto'
import { assertBytes, concatBytes } from './bytes'
import { sodiumIfReady } from './sodium-sync'
import { directHmacSha256, directHmacSha256Many } from './wasm-direct'

const SODIUM_KEY_BYTES = 32

/**
 * HMAC-SHA256 (RFC 2104). Two engines, same function:
 * - 32-byte keys (every ratchet key) go to libsodium's one-shot
 *   crypto_auth_hmacsha256: ~1.2 us per call on the ratchet's tiny inputs,
 *   against ~2 us for node's createHmac object;
 * - any other key length, or libsodium not loaded yet, goes to node:crypto
 *   (the one-shot rejects other key lengths). Both are RFC 2104 HMAC-SHA256.
 * Measurements and reasoning: docs/decisions/0011-hmac-hkdf-node-crypto.md.
 */
export function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  assertBytes(key, undefined, 'key')
  assertBytes(data, undefined, 'data')
  const sodium = key.length === SODIUM_KEY_BYTES ? sodiumIfReady() : undefined
  if (sodium) return directHmacSha256(sodium, key, data) ?? sodium.crypto_auth_hmacsha256(data, key)
  const digest = createHmac('sha256', key).update(data).digest()
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength)
}

/** HMAC-SHA256 over several parts as if concatenated. */
export function hmacSha256Parts(key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  return hmacSha256(key, parts.length === 1 ? (parts[0] as Uint8Array) : concatBytes(...parts))
}

/**
 * HMAC-SHA256 of several messages under one key (the same outputs as
 * hmacSha256 per message); with a 32-byte key and libsodium loaded, the key's
 * pads are hashed once for all of them.
 */
export function hmacSha256Many(key: Uint8Array, messages: readonly Uint8Array[]): Uint8Array[] {
  assertBytes(key, undefined, 'key')
  for (const message of messages) assertBytes(message, undefined, 'data')
  const sodium = key.length === SODIUM_KEY_BYTES ? sodiumIfReady() : undefined
  const direct = sodium ? directHmacSha256Many(sodium, key, messages) : null
  return direct ?? messages.map((message) => hmacSha256(key, message))
}
