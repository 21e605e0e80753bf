import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadSodium } from '../../../src/main/core/crypto/sodium'
import { PASSPHRASE_ARGON2, RECOVERY_KEY_ARGON2 } from '../../../src/main/core/keys/argon2-params'
import { createWrappedKey, readWrappedKeyFile, resealWrappedKey, unwrapKeys, WrappedKeyError, writeWrappedKeyFile } from '../../../src/main/core/keys/wrapped-key-file'
import { makeTempDir } from '../store/store-fixture'
import { FAST_ARGON2 } from './key-vault-fixture'

const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()))

const secret = new TextEncoder().encode('a secret the user knows')
const key = new Uint8Array(32).fill(3)

describe('wrapped key file', () => {
  it('round-trips through disk (0600) and opens only with the same secret', async () => {
    const sodium = await loadSodium()
    const { dir, cleanup } = makeTempDir('wrapped')
    cleanups.push(cleanup)
    const path = join(dir, 'recovery-key.wrapped')
    await writeWrappedKeyFile(path, await createWrappedKey(sodium, 'recovery-key', secret, FAST_ARGON2, [key]))
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(readFileSync(path, 'utf8')).not.toContain(Buffer.from(key).toString('base64'))
    const file = await readWrappedKeyFile(path)
    expect(file).toBeDefined()
    if (file === undefined) return
    expect(Buffer.from((await unwrapKeys(sodium, file, secret))[0]!)).toEqual(Buffer.from(key))
    await expect(unwrapKeys(sodium, file, new TextEncoder().encode('another secret'))).rejects.toMatchObject({ code: 'wrong-secret' })
  })

  it('re-seals new keys without the secret', async () => {
    const sodium = await loadSodium()
    const file = await createWrappedKey(sodium, 'app-lock', secret, FAST_ARGON2, [key])
    const next = new Uint8Array(32).fill(4)
    const resealed = resealWrappedKey(sodium, file, [next, key])
    expect((await unwrapKeys(sodium, resealed, secret)).map((k) => Buffer.from(k))).toEqual([Buffer.from(next), Buffer.from(key)])
  })

  it('detects tampered KDF parameters as a wrong secret (the derived public key differs)', async () => {
    const sodium = await loadSodium()
    const file = await createWrappedKey(sodium, 'recovery-key', secret, FAST_ARGON2, [key])
    const tampered = { ...file, kdf: { ...file.kdf, opsLimit: 2 } }
    await expect(unwrapKeys(sodium, tampered, secret)).rejects.toBeInstanceOf(WrappedKeyError)
  })

  it('refuses malformed files and out-of-bounds costs with unreadable-file', async () => {
    const sodium = await loadSodium()
    const { dir, cleanup } = makeTempDir('wrapped-bad')
    cleanups.push(cleanup)
    const path = join(dir, 'bad.wrapped')
    writeFileSync(path, '{not json')
    await expect(readWrappedKeyFile(path)).rejects.toMatchObject({ code: 'unreadable-file' })
    const file = await createWrappedKey(sodium, 'recovery-key', secret, FAST_ARGON2, [key])
    writeFileSync(path, JSON.stringify({ ...file, kdf: { ...file.kdf, memLimit: 8 * 1024 ** 3 } }))
    await expect(readWrappedKeyFile(path)).rejects.toMatchObject({ code: 'unreadable-file' })
    expect(await readWrappedKeyFile(join(dir, 'missing'))).toBeUndefined()
  })

  it('the shipped Argon2id settings are within the accepted bounds and the passphrase costs more', () => {
    expect(PASSPHRASE_ARGON2.memLimit * PASSPHRASE_ARGON2.opsLimit).toBeGreaterThan(RECOVERY_KEY_ARGON2.memLimit * RECOVERY_KEY_ARGON2.opsLimit)
  })

  it('derives with the shipped recovery-key setting (INTERACTIVE)', async () => {
    const sodium = await loadSodium()
    const file = await createWrappedKey(sodium, 'recovery-key', secret, RECOVERY_KEY_ARGON2, [key])
    expect(file.kdf).toMatchObject({ opsLimit: 2, memLimit: 64 * 1024 * 1024 })
    expect(Buffer.from((await unwrapKeys(sodium, file, secret))[0]!)).toEqual(Buffer.from(key))
  })
})
