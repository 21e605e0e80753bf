import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import type { Sodium } from '../crypto/sodium'
import { DATABASE_KEY_BYTES } from '../store/encrypted-database'
import type { StorePaths } from '../store/store-paths'
import type { Argon2Params } from './argon2-params'
import { PASSPHRASE_ARGON2, RECOVERY_KEY_ARGON2 } from './argon2-params'
import { decodeKeychainValue, encodeKeychainValue } from './keychain-value'
import { generateRecoveryKey, parseRecoveryKey, RecoveryKeyError } from './recovery-key'
import type { SecretVault } from './secret-vault'
import { VaultError } from './secret-vault'
import type { UnlockResult } from './unlock-result'
import type { WrappedKeyFile } from './wrapped-key-file'
import { createWrappedKey, readWrappedKeyFile, resealWrappedKey, unwrapKeys, WrappedKeyError, writeWrappedKeyFile } from './wrapped-key-file'

export interface DatabaseKeyVaultOptions {
  readonly sodium: Sodium
  readonly vault: SecretVault
  /** The keychain account name: the profile id. */
  readonly profileId: string
  readonly paths: StorePaths
  /** Whether a key opens the existing database (store/encrypted-database.ts isDatabaseKey). */
  readonly isDatabaseKey: (key: Uint8Array) => boolean
  /** Argon2id costs for new wrapped files; defaults from argon2-params.ts (tests pass cheaper ones). */
  readonly argon2?: { readonly recoveryKey?: Argon2Params; readonly passphrase?: Argon2Params }
}

export class KeyVaultError extends Error {
  constructor(
    readonly code: 'already-initialized' | 'app-lock-on' | 'app-lock-off' | 'wrong-passphrase' | 'weak-passphrase',
    message: string
  ) {
    super(message)
    this.name = 'KeyVaultError'
  }
}

const MIN_PASSPHRASE_CHARS = 8

/**
 * The key hierarchy of one profile (docs/store.md, "Keys"):
 *   keychain entry "Tessera"/<profile id>  -> database key        (normal mode)
 *   recovery-key.wrapped                    -> database key        (always)
 *   app-lock.wrapped                        -> database key        (app lock: no keychain entry)
 * Unlock order: app lock if on, else keychain, else the recovery key.
 * Nothing here ever creates a key for an existing database, and a failed
 * unlock writes nothing.
 */
export class DatabaseKeyVault {
  constructor(private readonly options: DatabaseKeyVaultOptions) {}

  /**
   * First run only: a new random database key, in the keychain and sealed
   * under a new recovery key. Returns both; show `recoveryKey` to the user
   * once. Refused when a database or a recovery file already exists.
   */
  async initialize(): Promise<{ databaseKey: Uint8Array; recoveryKey: string; keychainStored: boolean }> {
    const { paths, sodium } = this.options
    if (existsSync(paths.database) || existsSync(paths.recoveryWrappedKey)) {
      throw new KeyVaultError('already-initialized', 'This profile already has a database key.')
    }
    const databaseKey = new Uint8Array(randomBytes(DATABASE_KEY_BYTES))
    const recovery = generateRecoveryKey()
    try {
      await writeWrappedKeyFile(paths.recoveryWrappedKey, await createWrappedKey(sodium, 'recovery-key', recovery.entropy, this.options.argon2?.recoveryKey ?? RECOVERY_KEY_ARGON2, [databaseKey]))
    } finally {
      sodium.memzero(recovery.entropy)
    }
    const keychainStored = await this.storeInKeychain([databaseKey])
    return { databaseKey, recoveryKey: recovery.text, keychainStored }
  }

  /** Opens without user input if possible; otherwise says what input is needed. */
  async unlock(): Promise<UnlockResult> {
    const { paths, vault, profileId } = this.options
    if (!existsSync(paths.database)) return { state: 'needs-setup' }
    if (existsSync(paths.appLockWrappedKey)) return { state: 'needs-passphrase' }
    let value: string | null
    try {
      value = await vault.get(profileId)
    } catch (error) {
      return vaultFailure(error)
    }
    if (value === null) {
      // libsecret returns null for a locked collection as well as for a
      // missing entry. A write tells them apart: it fails on a locked one.
      const probe = await this.probeKeychainWritable()
      if (probe !== 'writable') return probe
      value = await vault.get(profileId).catch(() => null)
      if (value === null) return { state: 'needs-recovery-key' }
    }
    const key = this.firstOpeningKey(decodeKeychainValue(value))
    return key === undefined ? { state: 'needs-recovery-key' } : { state: 'unlocked', databaseKey: key, via: 'keychain' }
  }

  /** The user typed the recovery key. On success the key goes back into the keychain (unless app lock is on). */
  async unlockWithRecoveryKey(text: string): Promise<UnlockResult> {
    let entropy: Uint8Array
    try {
      entropy = parseRecoveryKey(text)
    } catch (error) {
      if (error instanceof RecoveryKeyError) return { state: 'recovery-key-rejected', reason: error.code }
      throw error
    }
    try {
      const file = await readWrappedKeyFile(this.options.paths.recoveryWrappedKey)
      if (file === undefined) return { state: 'recovery-key-rejected', reason: 'no-recovery-file' }
      const key = await this.openWith(file, entropy)
      if (key === undefined) return { state: 'recovery-key-rejected', reason: 'wrong-recovery-key' }
      const keychainRestored = existsSync(this.options.paths.appLockWrappedKey) ? false : await this.storeInKeychain([key])
      return { state: 'unlocked', databaseKey: key, via: 'recovery-key', keychainRestored }
    } finally {
      this.options.sodium.memzero(entropy)
    }
  }

  async unlockWithPassphrase(passphrase: string): Promise<UnlockResult> {
    const file = await readWrappedKeyFile(this.options.paths.appLockWrappedKey)
    if (file === undefined) return { state: 'passphrase-rejected' }
    const secret = new TextEncoder().encode(passphrase.normalize('NFKC'))
    try {
      const key = await this.openWith(file, secret)
      return key === undefined ? { state: 'passphrase-rejected' } : { state: 'unlocked', databaseKey: key, via: 'passphrase' }
    } finally {
      this.options.sodium.memzero(secret)
    }
  }

  /**
   * App lock on: the key is sealed under the passphrase and removed from the
   * keychain. `keychainCleared` is false when the keychain could not be
   * reached (locked/unavailable): the UI should say the old entry remains.
   */
  async enableAppLock(databaseKey: Uint8Array, passphrase: string): Promise<{ keychainCleared: boolean }> {
    const { paths, vault, profileId } = this.options
    if (existsSync(paths.appLockWrappedKey)) throw new KeyVaultError('app-lock-on', 'App lock is already on.')
    await this.writePassphraseFile(passphrase, [databaseKey])
    try {
      await vault.delete(profileId)
      return { keychainCleared: (await vault.get(profileId)) === null }
    } catch (error) {
      if (error instanceof VaultError) return { keychainCleared: false }
      throw error
    }
  }

  async changePassphrase(oldPassphrase: string, newPassphrase: string): Promise<void> {
    const keys = await this.requirePassphraseKeys(oldPassphrase)
    try {
      await this.writePassphraseFile(newPassphrase, keys)
    } finally {
      keys.forEach((key) => this.options.sodium.memzero(key))
    }
  }

  /** App lock off: the key goes back into the keychain first, then the passphrase file is removed. */
  async disableAppLock(passphrase: string): Promise<void> {
    const keys = await this.requirePassphraseKeys(passphrase)
    try {
      await this.options.vault.set(this.options.profileId, encodeKeychainValue(keys))
      await rm(this.options.paths.appLockWrappedKey, { force: true })
    } finally {
      keys.forEach((key) => this.options.sodium.memzero(key))
    }
  }

  isAppLockOn(): boolean {
    return existsSync(this.options.paths.appLockWrappedKey)
  }

  /**
   * Writes `keys` (newest first) to every place that holds the database key:
   * both wrapped files (re-sealed, no secret needed) and, unless app lock is
   * on, the keychain. Used by database-key-rotation.ts.
   */
  async publishKeys(keys: readonly Uint8Array[]): Promise<void> {
    const { paths, sodium } = this.options
    for (const path of [paths.recoveryWrappedKey, paths.appLockWrappedKey]) {
      const file = await readWrappedKeyFile(path)
      if (file !== undefined) await writeWrappedKeyFile(path, resealWrappedKey(sodium, file, keys))
    }
    if (!existsSync(paths.appLockWrappedKey)) await this.options.vault.set(this.options.profileId, encodeKeychainValue(keys))
  }

  private async writePassphraseFile(passphrase: string, keys: readonly Uint8Array[]): Promise<void> {
    const normalised = passphrase.normalize('NFKC')
    if ([...normalised].length < MIN_PASSPHRASE_CHARS) {
      throw new KeyVaultError('weak-passphrase', `A passphrase has at least ${MIN_PASSPHRASE_CHARS} characters.`)
    }
    const secret = new TextEncoder().encode(normalised)
    try {
      await writeWrappedKeyFile(this.options.paths.appLockWrappedKey, await createWrappedKey(this.options.sodium, 'app-lock', secret, this.options.argon2?.passphrase ?? PASSPHRASE_ARGON2, keys))
    } finally {
      this.options.sodium.memzero(secret)
    }
  }

  private async requirePassphraseKeys(passphrase: string): Promise<Uint8Array[]> {
    const file = await readWrappedKeyFile(this.options.paths.appLockWrappedKey)
    if (file === undefined) throw new KeyVaultError('app-lock-off', 'App lock is not on.')
    const secret = new TextEncoder().encode(passphrase.normalize('NFKC'))
    try {
      return await unwrapKeys(this.options.sodium, file, secret)
    } catch (error) {
      if (error instanceof WrappedKeyError && error.code === 'wrong-secret') throw new KeyVaultError('wrong-passphrase', 'Wrong passphrase.')
      throw error
    } finally {
      this.options.sodium.memzero(secret)
    }
  }

  /** Unwraps with the secret and returns the key that opens the database (a file may hold two mid-rotation). */
  private async openWith(file: WrappedKeyFile, secret: Uint8Array): Promise<Uint8Array | undefined> {
    let keys: Uint8Array[]
    try {
      keys = await unwrapKeys(this.options.sodium, file, secret)
    } catch (error) {
      if (error instanceof WrappedKeyError && error.code === 'wrong-secret') return undefined
      throw error
    }
    return this.firstOpeningKey(keys)
  }

  /** The first candidate that opens the database; every other candidate is wiped. */
  private firstOpeningKey(candidates: Uint8Array[]): Uint8Array | undefined {
    let found: Uint8Array | undefined
    for (const key of candidates) {
      if (found === undefined && this.options.isDatabaseKey(key)) found = key
      else this.options.sodium.memzero(key)
    }
    return found
  }

  private async storeInKeychain(keys: readonly Uint8Array[]): Promise<boolean> {
    try {
      await this.options.vault.set(this.options.profileId, encodeKeychainValue(keys))
      return true
    } catch (error) {
      if (error instanceof VaultError) return false
      throw error
    }
  }

  /** Writes and removes a throwaway entry; a locked collection refuses the write. */
  private async probeKeychainWritable(): Promise<'writable' | { state: 'keychain-locked' } | { state: 'keychain-unavailable' }> {
    const probeAccount = `${this.options.profileId}.probe`
    try {
      await this.options.vault.set(probeAccount, 'probe')
    } catch (error) {
      return vaultFailure(error)
    }
    await this.options.vault.delete(probeAccount).catch(() => false)
    return 'writable'
  }
}

function vaultFailure(error: unknown): { state: 'keychain-locked' } | { state: 'keychain-unavailable' } {
  if (error instanceof VaultError) return { state: error.code }
  throw error
}
