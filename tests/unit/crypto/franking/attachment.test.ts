import { beforeAll, describe, expect, it } from 'vitest'
import { loadSodium, type Sodium } from '../../../../src/main/core/crypto/sodium'
import { randomBytes } from '../../../../src/main/core/crypto/primitives'
import {
  attachmentAssociatedData,
  attachmentKeyCommitment,
  decryptAttachment,
  encryptAttachment
} from '../../../../src/main/core/crypto/franking/attachment'
import { buildTwoKeyCiphertext } from './salamander'

let sodium: Sodium
beforeAll(async () => {
  sodium = await loadSodium()
})

describe('key-committing attachments (protocol section 10.4)', () => {
  it('round-trips and checks both hashes', () => {
    const plaintext = randomBytes(1000)
    const { key, blob, reference } = encryptAttachment(plaintext, randomBytes)
    const opened = decryptAttachment(key, blob, reference)
    expect(opened.ok && opened.plaintext).toEqual(plaintext)
    expect(decryptAttachment(key, blob, { ...reference, plaintextSha256: randomBytes(32) })).toEqual({
      ok: false,
      reason: 'plaintext-hash-mismatch'
    })
    expect(decryptAttachment(key, blob, { ...reference, ciphertextSha256: randomBytes(32) })).toEqual({
      ok: false,
      reason: 'ciphertext-hash-mismatch'
    })
    expect(decryptAttachment(randomBytes(32), blob, reference)).toEqual({ ok: false, reason: 'key-commitment-mismatch' })
  })

  it('rejects an attachment crafted to decrypt under two keys (invisible salamander)', () => {
    const key1 = randomBytes(32)
    const key2 = randomBytes(32)
    const nonce = randomBytes(24)
    const kc1 = attachmentKeyCommitment(key1)
    const ad = attachmentAssociatedData(kc1)
    const sealed = buildTwoKeyCiphertext(sodium, key1, key2, nonce, ad)
    // The attack is real against the bare AEAD: both keys authenticate, and the plaintexts differ.
    const p1 = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, sealed, ad, nonce, key1)
    const p2 = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, sealed, ad, nonce, key2)
    expect(p1).not.toEqual(p2)

    const blob = new Uint8Array(2 + 32 + 24 + sealed.length)
    blob.set([0x01, 0x5d], 0)
    blob.set(kc1, 2)
    blob.set(nonce, 34)
    blob.set(sealed, 58)
    const reference = { plaintextSha256: sodium.crypto_hash_sha256(p1), ciphertextSha256: sodium.crypto_hash_sha256(blob) }
    const honest = decryptAttachment(key1, blob, reference)
    expect(honest.ok && honest.plaintext).toEqual(p1)
    // The second key is refused before the AEAD even runs...
    expect(decryptAttachment(key2, blob, reference)).toEqual({ ok: false, reason: 'key-commitment-mismatch' })
    // ...and a blob relabelled with the second key's commitment fails its AEAD (kc is in the AD)
    // and, were it to open, the committed plaintext hash.
    const relabelled = blob.slice()
    relabelled.set(attachmentKeyCommitment(key2), 2)
    const relabelledRef = { ...reference, ciphertextSha256: sodium.crypto_hash_sha256(relabelled) }
    expect(decryptAttachment(key2, relabelled, relabelledRef)).toEqual({ ok: false, reason: 'decryption-failed' })
  })

  it('rejects truncated or re-versioned blobs with a typed reason', () => {
    const { key, blob, reference } = encryptAttachment(randomBytes(10), randomBytes)
    for (const bad of [blob.subarray(0, 50), Uint8Array.of(0x02, ...blob.subarray(1)), Uint8Array.of(0x01, 0x50, ...blob.subarray(2))]) {
      const result = decryptAttachment(key, bad, { ...reference, ciphertextSha256: sodium.crypto_hash_sha256(bad) })
      expect(result).toEqual({ ok: false, reason: 'malformed-blob' })
    }
  })
})
