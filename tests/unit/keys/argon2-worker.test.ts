import { describe, expect, it } from 'vitest'
import { loadSodium } from '../../../src/main/core/crypto/sodium'
import { PASSPHRASE_ARGON2 } from '../../../src/main/core/keys/argon2-params'
import { deriveArgon2Seed } from '../../../src/main/core/keys/argon2-worker'

describe('deriveArgon2Seed (worker thread)', () => {
  it('equals libsodium crypto_pwhash Argon2id on the calling thread, and leaves the caller secret intact', async () => {
    const sodium = await loadSodium()
    const secret = new TextEncoder().encode('correct horse battery staple')
    const salt = new Uint8Array(16).map((_, i) => i)
    const params = { opsLimit: 1, memLimit: 8 * 1024 * 1024 }
    const seed = await deriveArgon2Seed(secret, salt, params)
    const direct = sodium.crypto_pwhash(32, secret, salt, params.opsLimit, params.memLimit, sodium.crypto_pwhash_ALG_ARGON2ID13)
    expect(Buffer.from(seed)).toEqual(Buffer.from(direct))
    expect(new TextDecoder().decode(secret)).toBe('correct horse battery staple')
  })

  it('rejects parameters libsodium refuses', async () => {
    await expect(deriveArgon2Seed(new Uint8Array(4), new Uint8Array(16), { opsLimit: 0, memLimit: 1024 })).rejects.toThrow(/Argon2id failed/)
  })

  it('runs the shipped app-lock setting (ops 3, 256 MiB)', async () => {
    const seed = await deriveArgon2Seed(new TextEncoder().encode('passphrase'), new Uint8Array(16), PASSPHRASE_ARGON2)
    expect(seed).toHaveLength(32)
  })
})
