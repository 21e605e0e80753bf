import { assertBytes, randomBytes, type RandomSource } from './bytes'
import { sodium } from './sodium-sync'

export const X25519_KEY_BYTES = 32

export interface X25519KeyPair {
  readonly publicKey: Uint8Array
  readonly secretKey: Uint8Array
}

/**
 * A fresh X25519 key pair (RFC 7748 section 5). The secret is drawn from the
 * platform CSPRNG (or `random` for known-answer vectors) and the public key
 * computed with scalarmult_base: crypto_box_keypair would pay libsodium's slow
 * wasm randomness (~164 us vs ~60 us here).
 */
export function generateX25519KeyPair(random: RandomSource = randomBytes): X25519KeyPair {
  const secretKey = random(X25519_KEY_BYTES)
  assertBytes(secretKey, X25519_KEY_BYTES, 'random output')
  return { publicKey: sodium().crypto_scalarmult_base(secretKey), secretKey }
}

/** The public key of an X25519 secret key. */
export function x25519PublicKey(secretKey: Uint8Array): Uint8Array {
  assertBytes(secretKey, X25519_KEY_BYTES, 'secretKey')
  return sodium().crypto_scalarmult_base(secretKey)
}

/**
 * X25519(secretKey, publicKey) per RFC 7748 section 5. Returns null when the
 * result is all zeros, i.e. the peer sent a low-order point (RFC 7748 section
 * 6.1 "check that the value is not all zero"); callers turn that into a typed
 * failure. libsodium reports that case by throwing "weak public key".
 */
export function x25519(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array | null {
  assertBytes(secretKey, X25519_KEY_BYTES, 'secretKey')
  assertBytes(publicKey, X25519_KEY_BYTES, 'publicKey')
  try {
    return sodium().crypto_scalarmult(secretKey, publicKey)
  } catch {
    return null
  }
}
