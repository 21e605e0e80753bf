import { assertBytes, randomBytes, type RandomSource } from './bytes'
import { curve25519 } from './curve25519-backend'

export const X25519_KEY_BYTES = 32

export interface X25519KeyPair {
  readonly publicKey: Uint8Array
  readonly secretKey: Uint8Array
}

/*
 * X25519 runs in native libsodium (sodium-native) where its binary loads:
 * 2.3x faster than the wasm build per DH and base multiplication, and
 * libsodium writes its result into the Uint8Array we pass, so no copy is left
 * behind in a heap we cannot zero (curve25519-backend.ts,
 * docs/decisions/0017-native-libsodium-x25519-ed25519.md).
 */

/**
 * A fresh X25519 key pair (RFC 7748 section 5). The secret is drawn from the
 * platform CSPRNG (or `random` for known-answer vectors) and the public key
 * computed with scalarmult_base.
 */
export function generateX25519KeyPair(random: RandomSource = randomBytes): X25519KeyPair {
  const secretKey = random(X25519_KEY_BYTES)
  assertBytes(secretKey, X25519_KEY_BYTES, 'random output')
  return { publicKey: x25519PublicKey(secretKey), secretKey }
}

/** The public key of an X25519 secret key. */
export function x25519PublicKey(secretKey: Uint8Array): Uint8Array {
  assertBytes(secretKey, X25519_KEY_BYTES, 'secretKey')
  const publicKey = new Uint8Array(X25519_KEY_BYTES)
  curve25519().scalarmultBase(publicKey, secretKey)
  return publicKey
}

/**
 * X25519(secretKey, publicKey) per RFC 7748 section 5. Returns null when the
 * result is all zeros, i.e. the peer sent a low-order point (RFC 7748 section
 * 6.1 "check that the value is not all zero"); callers turn that into a typed
 * failure (libsodium reports that case with a non-zero status; whatever it
 * wrote to the output is wiped).
 */
export function x25519(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array | null {
  assertBytes(secretKey, X25519_KEY_BYTES, 'secretKey')
  assertBytes(publicKey, X25519_KEY_BYTES, 'publicKey')
  const shared = new Uint8Array(X25519_KEY_BYTES)
  return curve25519().scalarmult(shared, secretKey, publicKey) ? shared : null
}
