import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { loadSodium } from '../../../src/main/core/crypto/sodium'
import { KeytarVault } from '../../../src/main/core/keys/keytar-vault'
import { VaultError } from '../../../src/main/core/keys/secret-vault'
import { openEncryptedDatabase } from '../../../src/main/core/store/encrypted-database'
import { migrateDatabase } from '../../../src/main/core/store/migrate'
import { makeKeyVault, snapshotDir } from './key-vault-fixture'
import type { PrivateKeyring } from '../../support/private-keyring'
import { startPrivateKeyring } from '../../support/private-keyring'

// A real session bus with NO Secret Service on it: what a headless Linux or a
// desktop without gnome-keyring/KWallet looks like to keytar.
let bus: PrivateKeyring
beforeAll(async () => {
  bus = await startPrivateKeyring({ withDaemon: false })
})
afterAll(() => bus?.stop())
const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()))

describe('without a Secret Service', () => {
  it('every keytar call becomes VaultError keychain-unavailable', async () => {
    const vault = new KeytarVault()
    for (const call of [() => vault.get('p'), () => vault.set('p', 'secret-value'), () => vault.delete('p')]) {
      const error = await call().catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(VaultError)
      expect((error as VaultError).code).toBe('keychain-unavailable')
      expect((error as VaultError).message).not.toContain('secret-value')
    }
  })

  it('first run still works (recovery key only), unlock says keychain-unavailable, the recovery key opens', async () => {
    const fixture = await makeKeyVault(new KeytarVault(), 'no-keychain')
    cleanups.push(fixture.cleanup)
    const created = await fixture.keyVault.initialize()
    expect(created.keychainStored).toBe(false)
    const db = openEncryptedDatabase(fixture.paths.database, created.databaseKey)
    migrateDatabase(db)
    db.close()
    const before = snapshotDir(fixture.paths)
    expect(await fixture.keyVault.unlock()).toEqual({ state: 'keychain-unavailable' })
    expect(snapshotDir(fixture.paths)).toEqual(before)
    const result = await fixture.keyVault.unlockWithRecoveryKey(created.recoveryKey)
    expect(result).toMatchObject({ state: 'unlocked', via: 'recovery-key', keychainRestored: false })
    if (result.state === 'unlocked') (await loadSodium()).memzero(result.databaseKey)
  })
})
