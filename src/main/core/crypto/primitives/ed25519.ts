import { assertBytes, randomBytes, type RandomSource } from './bytes'
import { curve25519 } from './curve25519-backend'

export const ED25519_SEED_BYTES = 32
export const ED25519_PUBLIC_KEY_BYTES = 32
export const ED25519_SECRET_KEY_BYTES = 64
export const ED25519_SIGNATURE_BYTES = 64

export interface Ed25519KeyPair {
  readonly publicKey: Uint8Array
  /** libsodium's 64-byte form: seed || public key. */
  readonly secretKey: Uint8Array
}

/*
 * Ed25519 runs in native libsodium (sodium-native) where its binary loads:
 * verification 2x and signing 2.4x faster than the wasm build, and the secret
 * key is written into (and signed from) a Uint8Array we own and wipe, never
 * copied into a heap we cannot zero (curve25519-backend.ts,
 * docs/decisions/0017-native-libsodium-x25519-ed25519.md).
 */

/** Ed25519 key pair from a 32-byte seed (RFC 8032 section 5.1.5). */
export function ed25519KeyPairFromSeed(seed: Uint8Array): Ed25519KeyPair {
  assertBytes(seed, ED25519_SEED_BYTES, 'seed')
  const publicKey = new Uint8Array(ED25519_PUBLIC_KEY_BYTES)
  const secretKey = new Uint8Array(ED25519_SECRET_KEY_BYTES)
  curve25519().signSeedKeypair(publicKey, secretKey, seed)
  return { publicKey, secretKey }
}

/** A fresh Ed25519 key pair from a platform-random seed (or `random` for known-answer vectors). */
export function generateEd25519KeyPair(random: RandomSource = randomBytes): Ed25519KeyPair {
  const seed = random(ED25519_SEED_BYTES)
  try {
    return ed25519KeyPairFromSeed(seed)
  } finally {
    seed.fill(0)
  }
}

/** Deterministic Ed25519 signature (RFC 8032 section 5.1.6). */
export function ed25519Sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  assertBytes(secretKey, ED25519_SECRET_KEY_BYTES, 'secretKey')
  assertBytes(message, undefined, 'message')
  const signature = new Uint8Array(ED25519_SIGNATURE_BYTES)
  curve25519().sign(signature, message, secretKey)
  return signature
}

/**
 * Verifies an Ed25519 signature. libsodium is strict: it rejects
 * non-canonical S, small-order R and A, and non-canonical point encodings
 * (the Wycheproof edge cases in tests/unit/crypto/wycheproof/x25519-ed25519.test.ts).
 * Wrong lengths are a plain `false`, since they arrive from the network.
 */
export function ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  assertBytes(publicKey, undefined, 'publicKey')
  assertBytes(message, undefined, 'message')
  assertBytes(signature, undefined, 'signature')
  if (publicKey.length !== ED25519_PUBLIC_KEY_BYTES || signature.length !== ED25519_SIGNATURE_BYTES) return false
  return curve25519().verify(signature, message, publicKey)
}
