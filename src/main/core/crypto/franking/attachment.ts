import type { AttachmentReference } from './commitment'
import { ATTACHMENT_DIGEST_BYTES } from './commitment'
import { aeadDecrypt, aeadEncrypt } from '../primitives/aead'
import { assertBytes, equalBytes, wipe, type RandomSource } from '../primitives/bytes'
import { sodium } from '../primitives/sodium-sync'

/**
 * Key-committing attachment encryption (docs/protocol.md section 10.4).
 *
 * XChaCha20-Poly1305 is not key-committing: one ciphertext can be made to
 * decrypt under two keys to two different plaintexts ("invisible
 * salamanders", Dodis-Grubbs-Ristenpart-Woodage 2018; "partitioning oracles",
 * Len-Grubbs-Ristenpart 2021). A reported attachment must open to exactly one
 * plaintext, so the blob carries a commitment to its key and the message that
 * refers to it commits to the plaintext's SHA-256:
 *
 *   kc   = BLAKE2b-256(key = ak, "tessera-attachment-key-v1")
 *   blob = 0x01 || 0x5D || kc (32) || nonce (24) || XChaCha20-Poly1305(ak, nonce, ad, plaintext)
 *   ad   = "tessera-attachment-v1" || kc
 *
 * Decryption checks kc before the AEAD and the plaintext hash after it.
 */

export const ATTACHMENT_VERSION = 0x01
/** Structure type (docs/protocol.md section 0.2.2, range 0x50-0x7F of sections 6-11). */
export const ATTACHMENT_BLOB_TYPE = 0x5d
export const ATTACHMENT_KEY_BYTES = 32
const NONCE_BYTES = 24
const HEADER_BYTES = 2 + 32 + NONCE_BYTES
const KEY_COMMIT_LABEL = new TextEncoder().encode('tessera-attachment-key-v1')
const AD_LABEL = new TextEncoder().encode('tessera-attachment-v1')

export interface EncryptedAttachment {
  readonly key: Uint8Array
  readonly blob: Uint8Array
  readonly reference: AttachmentReference
}

export type AttachmentOpening =
  | { readonly ok: true; readonly plaintext: Uint8Array }
  | {
      readonly ok: false
      readonly reason: 'malformed-blob' | 'ciphertext-hash-mismatch' | 'key-commitment-mismatch' | 'decryption-failed' | 'plaintext-hash-mismatch'
    }

function sha256(data: Uint8Array): Uint8Array {
  return sodium().crypto_hash_sha256(data)
}

export function attachmentKeyCommitment(key: Uint8Array): Uint8Array {
  assertBytes(key, ATTACHMENT_KEY_BYTES, 'attachment key')
  return sodium().crypto_generichash(32, KEY_COMMIT_LABEL, key)
}

/** The associated data the attachment AEAD authenticates (exported for tests that build hostile blobs). */
export function attachmentAssociatedData(keyCommitment: Uint8Array): Uint8Array {
  const ad = new Uint8Array(AD_LABEL.length + 32)
  ad.set(AD_LABEL, 0)
  ad.set(keyCommitment, AD_LABEL.length)
  return ad
}

/** `random(n)` supplies the key and nonce; tests and vectors inject a seeded source. */
export function encryptAttachment(
  plaintext: Uint8Array,
  random: RandomSource
): EncryptedAttachment {
  if (!(plaintext instanceof Uint8Array)) throw new TypeError('plaintext must be a Uint8Array')
  const key = random(ATTACHMENT_KEY_BYTES)
  const nonce = random(NONCE_BYTES)
  assertBytes(key, ATTACHMENT_KEY_BYTES, 'random key')
  assertBytes(nonce, NONCE_BYTES, 'random nonce')
  const keyCommitment = attachmentKeyCommitment(key)
  const sealed = aeadEncrypt(key, nonce, plaintext, attachmentAssociatedData(keyCommitment))
  const blob = new Uint8Array(HEADER_BYTES + sealed.length)
  blob[0] = ATTACHMENT_VERSION
  blob[1] = ATTACHMENT_BLOB_TYPE
  blob.set(keyCommitment, 2)
  blob.set(nonce, 34)
  blob.set(sealed, HEADER_BYTES)
  return {
    key,
    blob,
    reference: { plaintextSha256: sha256(plaintext), ciphertextSha256: sha256(blob) }
  }
}

/**
 * Opens a blob against the reference the (franked) message committed to.
 * Every check fails closed with a typed reason; the key never appears in it.
 */
export function decryptAttachment(
  key: Uint8Array,
  blob: Uint8Array,
  reference: AttachmentReference
): AttachmentOpening {
  assertBytes(key, ATTACHMENT_KEY_BYTES, 'attachment key')
  assertBytes(reference.plaintextSha256, ATTACHMENT_DIGEST_BYTES, 'plaintextSha256')
  assertBytes(reference.ciphertextSha256, ATTACHMENT_DIGEST_BYTES, 'ciphertextSha256')
  if (!(blob instanceof Uint8Array) || blob.length < HEADER_BYTES + 16 || blob[0] !== ATTACHMENT_VERSION || blob[1] !== ATTACHMENT_BLOB_TYPE) {
    return { ok: false, reason: 'malformed-blob' }
  }
  if (!equalBytes(sha256(blob), reference.ciphertextSha256)) {
    return { ok: false, reason: 'ciphertext-hash-mismatch' }
  }
  const keyCommitment = blob.subarray(2, 34)
  if (!equalBytes(attachmentKeyCommitment(key), keyCommitment)) {
    return { ok: false, reason: 'key-commitment-mismatch' }
  }
  const plaintext = aeadDecrypt(key, blob.slice(34, HEADER_BYTES), blob.subarray(HEADER_BYTES), attachmentAssociatedData(keyCommitment))
  if (plaintext === null) return { ok: false, reason: 'decryption-failed' }
  if (!equalBytes(sha256(plaintext), reference.plaintextSha256)) {
    wipe(plaintext)
    return { ok: false, reason: 'plaintext-hash-mismatch' }
  }
  return { ok: true, plaintext }
}
