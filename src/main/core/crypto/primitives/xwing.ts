import { assertBytes, randomBytes, wipe, type RandomSource } from './bytes'
import { sodium } from './sodium-sync'

/** X-Wing (draft-connolly-cfrg-xwing-kem): ML-KEM-768 + X25519 hybrid KEM. */
export const XWING_PUBLIC_KEY_BYTES = 1216
export const XWING_SECRET_KEY_BYTES = 32
export const XWING_CIPHERTEXT_BYTES = 1120
export const XWING_SHARED_SECRET_BYTES = 32
/** Encapsulation randomness: 32 bytes for ML-KEM's m and 32 for the X25519 ephemeral. */
export const XWING_ENCAPS_SEED_BYTES = 64

export interface XWingKeyPair {
  readonly publicKey: Uint8Array
  /** The 32-byte seed the draft defines as the decapsulation key. */
  readonly secretKey: Uint8Array
}

/**
 * A fresh X-Wing key pair from a platform-random seed (seed_keypair: the
 * plain keypair pays libsodium's slow wasm randomness, ~252 vs ~137 us).
 */
export function generateXWingKeyPair(random: RandomSource = randomBytes): XWingKeyPair {
  const seed = random(XWING_SECRET_KEY_BYTES)
  assertBytes(seed, XWING_SECRET_KEY_BYTES, 'random output')
  const pair = sodium().crypto_kem_xwing_seed_keypair(seed)
  wipe(seed)
  return { publicKey: pair.publicKey, secretKey: pair.privateKey }
}

export interface XWingEncapsulation {
  readonly ciphertext: Uint8Array
  readonly sharedSecret: Uint8Array
}

/** Encapsulates to `publicKey` with 64 platform-random bytes (enc_deterministic). */
export function xwingEncapsulate(publicKey: Uint8Array, random: RandomSource = randomBytes): XWingEncapsulation {
  assertBytes(publicKey, XWING_PUBLIC_KEY_BYTES, 'publicKey')
  const seed = random(XWING_ENCAPS_SEED_BYTES)
  assertBytes(seed, XWING_ENCAPS_SEED_BYTES, 'random output')
  try {
    const result = sodium().crypto_kem_xwing_enc_deterministic(publicKey, seed)
    return { ciphertext: result.ciphertext, sharedSecret: result.sharedSecret }
  } finally {
    wipe(seed)
  }
}

/**
 * Decapsulates. X-Wing (like ML-KEM) uses implicit rejection: a tampered
 * ciphertext yields an unrelated shared secret, never an error, so a later
 * AEAD check is what detects tampering.
 */
export function xwingDecapsulate(ciphertext: Uint8Array, secretKey: Uint8Array): Uint8Array {
  assertBytes(ciphertext, XWING_CIPHERTEXT_BYTES, 'ciphertext')
  assertBytes(secretKey, XWING_SECRET_KEY_BYTES, 'secretKey')
  return sodium().crypto_kem_xwing_dec(ciphertext, secretKey)
}
