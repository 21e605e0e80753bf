import { assertBytes, concatBytes, lengthPrefixed } from './bytes'
import { sodium } from './sodium-sync'
import { directAeadDecrypt, directAeadDecryptParts, directAeadEncrypt, directAeadEncryptInto } from './wasm-direct'

export const AEAD_KEY_BYTES = 32
export const AEAD_NONCE_BYTES = 24
export const AEAD_TAG_BYTES = 16

/**
 * XChaCha20-Poly1305-IETF (draft-irtf-cfrg-xchacha-03) encryption; returns
 * ciphertext || 16-byte tag. The 24-byte nonce makes random nonces safe.
 */
export function aeadEncrypt(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, ad: Uint8Array): Uint8Array {
  assertBytes(key, AEAD_KEY_BYTES, 'key')
  assertBytes(nonce, AEAD_NONCE_BYTES, 'nonce')
  assertBytes(plaintext, undefined, 'plaintext')
  assertBytes(ad, undefined, 'ad')
  const lib = sodium()
  return directAeadEncrypt(lib, key, nonce, plaintext, ad) ?? lib.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, null, nonce, key)
}

/**
 * Decrypts and authenticates; returns null on any authentication failure
 * (a normal outcome for forged or corrupted input, not an exception).
 */
export function aeadDecrypt(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, ad: Uint8Array): Uint8Array | null {
  assertBytes(key, AEAD_KEY_BYTES, 'key')
  assertBytes(nonce, AEAD_NONCE_BYTES, 'nonce')
  assertBytes(ciphertext, undefined, 'ciphertext')
  assertBytes(ad, undefined, 'ad')
  if (ciphertext.length < AEAD_TAG_BYTES) return null
  const lib = sodium()
  const direct = directAeadDecrypt(lib, key, nonce, ciphertext, ad)
  if (direct !== undefined) return direct
  try {
    return lib.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertext, ad, nonce, key)
  } catch {
    // libsodium-wrappers signals a failed tag check by throwing.
    return null
  }
}

/**
 * aeadEncrypt writing ciphertext || tag into `out` at `offset`, with the
 * associated data given as parts: concatenated, or each u32-length-prefixed
 * (`LP`, docs/protocol.md section 0.2.2) when `lengthPrefixedAd`. Same bytes
 * as aeadEncrypt over the assembled AD, without building it in JS.
 */
export function aeadEncryptInto(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  adParts: readonly Uint8Array[],
  lengthPrefixedAd: boolean,
  out: Uint8Array,
  offset: number
): void {
  assertBytes(key, AEAD_KEY_BYTES, 'key')
  assertBytes(nonce, AEAD_NONCE_BYTES, 'nonce')
  assertBytes(plaintext, undefined, 'plaintext')
  if (!Number.isInteger(offset) || offset < 0 || offset + plaintext.length + AEAD_TAG_BYTES > out.length) throw new RangeError('output too small')
  const lib = sodium()
  if (directAeadEncryptInto(lib, key, nonce, plaintext, adParts, lengthPrefixedAd, out, offset)) return
  const ad = lengthPrefixedAd ? lengthPrefixed(...adParts) : concatBytes(...adParts)
  out.set(lib.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, null, nonce, key), offset)
}

/** aeadDecrypt with the associated data given as parts, laid out as in aeadEncryptInto. */
export function aeadDecryptParts(
  key: Uint8Array,
  nonce: Uint8Array,
  ciphertext: Uint8Array,
  adParts: readonly Uint8Array[],
  lengthPrefixedAd: boolean
): Uint8Array | null {
  assertBytes(key, AEAD_KEY_BYTES, 'key')
  assertBytes(nonce, AEAD_NONCE_BYTES, 'nonce')
  assertBytes(ciphertext, undefined, 'ciphertext')
  if (ciphertext.length < AEAD_TAG_BYTES) return null
  const lib = sodium()
  const direct = directAeadDecryptParts(lib, key, nonce, ciphertext, adParts, lengthPrefixedAd)
  if (direct !== undefined) return direct
  return aeadDecrypt(key, nonce, ciphertext, lengthPrefixedAd ? lengthPrefixed(...adParts) : concatBytes(...adParts))
}
