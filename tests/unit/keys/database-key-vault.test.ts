import { readFileSync } from 'node:fs'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { loadSodium } from '../../../src/main/core/crypto/sodium'
import { rotateDatabaseKey } from '../../../src/main/core/keys/database-key-rotation'
import { KeytarVault } from '../../../src/main/core/keys/keytar-vault'
import { createProfileKeyVault } from '../../../src/main/core/keys/profile-key-vault'
import { storePaths } from '../../../src/main/core/store/store-paths'
import { makeTempDir } from '../store/store-fixture'
import { generateRecoveryKey } from '../../../src/main/core/keys/recovery-key'
import { TesseraStore } from '../../../src/main/core/store/tessera-store'
import { asConversationId } from '../../../src/shared/ids'
import { makeKeyVault, snapshotDir } from './key-vault-fixture'
import type { PrivateKeyring } from '../../support/private-keyring'
import { startPrivateKeyring } from '../../support/private-keyring'

// Real gnome-keyring on a private bus, real SQLCipher files.
let keyring: PrivateKeyring
beforeAll(async () => {
  keyring = await startPrivateKeyring({ withDaemon: true })
})
afterAll(() => keyring?.stop())
const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()))

const vault = new KeytarVault()
let profileCounter = 0

/** A profile whose database exists and holds one conversation. */
async function setUpProfile() {
  const profileId = `profile-${++profileCounter}`
  const fixture = await makeKeyVault(vault, profileId)
  cleanups.push(fixture.cleanup)
  expect(await fixture.keyVault.unlock()).toEqual({ state: 'needs-setup' })
  const created = await fixture.keyVault.initialize()
  const store = await TesseraStore.open({ dataDir: fixture.paths.dataDir, databaseKey: created.databaseKey, sodium: await loadSodium() })
  store.conversations.create({ id: asConversationId('c1'), kind: 'direct', createdAt: 1, members: [] })
  store.close()
  return { ...fixture, profileId, created }
}

async function openWith(dataDir: string, databaseKey: Uint8Array): Promise<TesseraStore> {
  return TesseraStore.open({ dataDir, databaseKey, sodium: await loadSodium() })
}

describe('DatabaseKeyVault with the real keychain', () => {
  it('first run: a recovery key shown once, the key in the keychain, later unlocks need no input', async () => {
    const profile = await setUpProfile()
    expect(profile.created.recoveryKey).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}$/)
    expect(profile.created.keychainStored).toBe(true)
    expect(await vault.get(profile.profileId)).toMatch(/^tessera-db-key-v1:/)
    const result = await profile.keyVault.unlock()
    expect(result).toMatchObject({ state: 'unlocked', via: 'keychain' })
    if (result.state !== 'unlocked') return
    expect(Buffer.from(result.databaseKey)).toEqual(Buffer.from(profile.created.databaseKey))
    await expect(profile.keyVault.initialize()).rejects.toMatchObject({ code: 'already-initialized' })
  })

  it('a deleted keychain entry: needs-recovery-key, nothing written; the recovery key opens the database and restores the entry', async () => {
    const profile = await setUpProfile()
    await vault.delete(profile.profileId)
    const before = snapshotDir(profile.paths)
    expect(await profile.keyVault.unlock()).toEqual({ state: 'needs-recovery-key' })
    expect(snapshotDir(profile.paths)).toEqual(before)
    expect(await vault.get(profile.profileId)).toBeNull()

    const typo = profile.created.recoveryKey.slice(0, -1) + (profile.created.recoveryKey.endsWith('0') ? '1' : '0')
    expect(await profile.keyVault.unlockWithRecoveryKey(typo)).toEqual({ state: 'recovery-key-rejected', reason: 'bad-checksum' })
    expect(await profile.keyVault.unlockWithRecoveryKey('ABCD')).toEqual({ state: 'recovery-key-rejected', reason: 'wrong-length' })
    expect(await profile.keyVault.unlockWithRecoveryKey(generateRecoveryKey().text)).toEqual({ state: 'recovery-key-rejected', reason: 'wrong-recovery-key' })
    expect(snapshotDir(profile.paths)).toEqual(before)

    const result = await profile.keyVault.unlockWithRecoveryKey(profile.created.recoveryKey.toLowerCase())
    expect(result).toMatchObject({ state: 'unlocked', via: 'recovery-key', keychainRestored: true })
    if (result.state !== 'unlocked') return
    const store = await openWith(profile.paths.dataDir, result.databaseKey)
    expect(store.conversations.get(asConversationId('c1'))?.kind).toBe('direct')
    store.close()
    expect(await profile.keyVault.unlock()).toMatchObject({ state: 'unlocked', via: 'keychain' })
  })

  it('a keychain entry that does not open the database is not trusted and not overwritten', async () => {
    const profile = await setUpProfile()
    const foreign = `tessera-db-key-v1:${Buffer.alloc(32, 7).toString('base64')}`
    await vault.set(profile.profileId, foreign)
    expect(await profile.keyVault.unlock()).toEqual({ state: 'needs-recovery-key' })
    expect(await vault.get(profile.profileId)).toBe(foreign)
  })

  it('app lock: the key leaves the keychain and only the passphrase opens it; change and remove', async () => {
    const profile = await setUpProfile()
    expect(await profile.keyVault.enableAppLock(profile.created.databaseKey, 'correct horse battery')).toEqual({ keychainCleared: true })
    expect(await vault.get(profile.profileId)).toBeNull()
    expect(await profile.keyVault.unlock()).toEqual({ state: 'needs-passphrase' })
    expect(await profile.keyVault.unlockWithPassphrase('wrong horse battery')).toEqual({ state: 'passphrase-rejected' })
    expect(await profile.keyVault.unlockWithPassphrase('correct horse battery')).toMatchObject({ state: 'unlocked', via: 'passphrase' })

    await expect(profile.keyVault.changePassphrase('wrong horse battery', 'new passphrase!')).rejects.toMatchObject({ code: 'wrong-passphrase' })
    await expect(profile.keyVault.changePassphrase('correct horse battery', 'short')).rejects.toMatchObject({ code: 'weak-passphrase' })
    await profile.keyVault.changePassphrase('correct horse battery', 'new passphrase!')
    expect(await profile.keyVault.unlockWithPassphrase('correct horse battery')).toEqual({ state: 'passphrase-rejected' })
    expect(await profile.keyVault.unlockWithPassphrase('new passphrase!')).toMatchObject({ state: 'unlocked' })

    // The recovery key still works with app lock on, but does not re-create the keychain entry.
    expect(await profile.keyVault.unlockWithRecoveryKey(profile.created.recoveryKey)).toMatchObject({ state: 'unlocked', keychainRestored: false })
    expect(await vault.get(profile.profileId)).toBeNull()

    await profile.keyVault.disableAppLock('new passphrase!')
    expect(profile.keyVault.isAppLockOn()).toBe(false)
    expect(await profile.keyVault.unlock()).toMatchObject({ state: 'unlocked', via: 'keychain' })
  })

  it('rotation re-encrypts the database in WAL mode; keychain and recovery key follow the new key', async () => {
    const profile = await setUpProfile()
    const sodium = await loadSodium()
    const oldKey = new Uint8Array(profile.created.databaseKey)
    const store = await openWith(profile.paths.dataDir, profile.created.databaseKey)
    const newKey = await rotateDatabaseKey(sodium, profile.keyVault, store, new Uint8Array(profile.created.databaseKey))
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal')
    store.close()
    await expect(openWith(profile.paths.dataDir, oldKey)).rejects.toMatchObject({ code: 'wrong-key' })
    const viaKeychain = await profile.keyVault.unlock()
    expect(viaKeychain).toMatchObject({ state: 'unlocked', via: 'keychain' })
    if (viaKeychain.state === 'unlocked') expect(Buffer.from(viaKeychain.databaseKey)).toEqual(Buffer.from(newKey))
    expect(await vault.get(profile.profileId)).not.toContain(',')
    const viaRecovery = await profile.keyVault.unlockWithRecoveryKey(profile.created.recoveryKey)
    expect(viaRecovery).toMatchObject({ state: 'unlocked' })
    if (viaRecovery.state === 'unlocked') expect(Buffer.from(viaRecovery.databaseKey)).toEqual(Buffer.from(newKey))
  })

  it('a crash mid-rotation (keys published, rekey not run) still unlocks with the old key', async () => {
    const profile = await setUpProfile()
    const pending = new Uint8Array(32).fill(9)
    await profile.keyVault.publishKeys([pending, profile.created.databaseKey])
    const result = await profile.keyVault.unlock()
    expect(result).toMatchObject({ state: 'unlocked' })
    if (result.state === 'unlocked') expect(Buffer.from(result.databaseKey)).toEqual(Buffer.from(profile.created.databaseKey))
    expect(await profile.keyVault.unlockWithRecoveryKey(profile.created.recoveryKey)).toMatchObject({ state: 'unlocked' })
  })

  it('a crash after the rekey but before the final publish unlocks with the new key', async () => {
    const profile = await setUpProfile()
    const newKey = new Uint8Array(32).fill(11)
    await profile.keyVault.publishKeys([newKey, profile.created.databaseKey])
    const store = await openWith(profile.paths.dataDir, profile.created.databaseKey)
    store.rekey(newKey)
    store.close()
    for (const result of [await profile.keyVault.unlock(), await profile.keyVault.unlockWithRecoveryKey(profile.created.recoveryKey)]) {
      expect(result).toMatchObject({ state: 'unlocked' })
      if (result.state === 'unlocked') expect(Buffer.from(result.databaseKey)).toEqual(Buffer.from(newKey))
    }
  })

  it('createProfileKeyVault wires the OS keychain, the shipped Argon2id setting and the database check', async () => {
    const { dir, cleanup } = makeTempDir('profile-factory')
    cleanups.push(cleanup)
    const keyVault = createProfileKeyVault({ sodium: await loadSodium(), profileId: 'factory-profile', dataDir: dir })
    const created = await keyVault.initialize()
    expect(created.keychainStored).toBe(true)
    const store = await openWith(dir, created.databaseKey)
    store.close()
    expect(await keyVault.unlock()).toMatchObject({ state: 'unlocked', via: 'keychain' })
    expect(JSON.parse(readFileSync(storePaths(dir).recoveryWrappedKey, 'utf8')).kdf).toMatchObject({ opsLimit: 2, memLimit: 64 * 1024 * 1024 })
  })

  // Last: it locks this file's private keyring for good (see tests/support/private-keyring.ts).
  it('a locked keychain gives keychain-locked and leaves the database and key files untouched', async () => {
    const profile = await setUpProfile()
    const before = snapshotDir(profile.paths)
    keyring.lock()
    expect(await profile.keyVault.unlock()).toEqual({ state: 'keychain-locked' })
    expect(snapshotDir(profile.paths)).toEqual(before)
    await expect(profile.keyVault.initialize()).rejects.toMatchObject({ code: 'already-initialized' })
    // The recovery key still gets in; the keychain cannot take the key back while locked.
    expect(await profile.keyVault.unlockWithRecoveryKey(profile.created.recoveryKey)).toMatchObject({ state: 'unlocked', keychainRestored: false })
    expect(snapshotDir(profile.paths)).toEqual(before)
  })
})
