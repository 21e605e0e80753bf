import type { LockState, UnlockRejection } from '../../../shared/api/lock-state'
import { AppError } from '../api/app-error'
import type { Sodium } from '../crypto/sodium'
import type { DatabaseKeyVault } from '../keys/database-key-vault'
import type { UnlockResult } from '../keys/unlock-result'
import { isStoreError } from '../store/store-error'
import { TesseraStore } from '../store/tessera-store'
import type { Logger } from '../log/logger'

const UNREADABLE_REASONS = ['schema-too-new', 'wrong-key', 'io'] as const

/**
 * Opens the profile's encrypted store with the database key from the key
 * vault, and tells the UI what it needs when it cannot (docs/store.md,
 * "Unlock"). A failed unlock never creates a key or touches the database:
 * the vault guarantees the first, and the store opens only with a key that
 * the vault has verified against the existing file.
 */
export class ProfileUnlocker {
  private current: LockState = { state: 'needs-setup' }
  private openStore: TesseraStore | undefined
  private readonly listeners = new Set<(state: LockState) => void>()

  constructor(
    private readonly keys: DatabaseKeyVault,
    private readonly dataDir: string,
    private readonly sodium: Sodium,
    private readonly log: Logger
  ) {}

  get state(): LockState {
    return this.current
  }

  /** The open store; undefined while locked. */
  get store(): TesseraStore | undefined {
    return this.openStore
  }

  onChange(listener: (state: LockState) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Tries the keychain (or reports what is missing). Safe to call again after the user unlocked the keychain. */
  async unlock(): Promise<LockState> {
    if (this.openStore) return this.current
    return this.apply(await this.keys.unlock())
  }

  /** First run: creates the database key and the recovery key (returned once, for the user to write down). */
  async setUp(): Promise<{ readonly recoveryKey: string; readonly keychainStored: boolean }> {
    if (this.current.state !== 'needs-setup') throw new AppError('conflict', 'This profile is already set up.')
    const created = await this.keys.initialize()
    await this.open(created.databaseKey, { state: 'unlocked', via: 'setup' })
    return { recoveryKey: created.recoveryKey, keychainStored: created.keychainStored }
  }

  async unlockWithRecoveryKey(text: string): Promise<LockState> {
    if (this.openStore) return this.current
    return this.apply(await this.keys.unlockWithRecoveryKey(text))
  }

  async unlockWithPassphrase(passphrase: string): Promise<LockState> {
    if (this.openStore) return this.current
    return this.apply(await this.keys.unlockWithPassphrase(passphrase))
  }

  dispose(): void {
    this.openStore?.close()
    this.openStore = undefined
    this.listeners.clear()
  }

  private async apply(result: UnlockResult): Promise<LockState> {
    switch (result.state) {
      case 'unlocked':
        return this.open(result.databaseKey, {
          state: 'unlocked',
          via: result.via,
          ...(result.keychainRestored === undefined ? {} : { keychainRestored: result.keychainRestored })
        })
      case 'recovery-key-rejected':
        return this.set(this.withRejection(result.reason))
      case 'passphrase-rejected':
        return this.set({ state: 'needs-passphrase', rejected: 'wrong-passphrase' })
      default:
        return this.set({ state: result.state })
    }
  }

  /** A refused recovery key keeps the screen the user was on, with the reason. */
  private withRejection(rejected: UnlockRejection): LockState {
    const state = this.current.state
    if (state === 'keychain-locked' || state === 'keychain-unavailable' || state === 'needs-recovery-key') return { state, rejected }
    return { state: 'needs-recovery-key', rejected }
  }

  private async open(databaseKey: Uint8Array, unlocked: LockState): Promise<LockState> {
    try {
      this.openStore = await TesseraStore.open({ dataDir: this.dataDir, databaseKey, sodium: this.sodium })
      return this.set(unlocked)
    } catch (error) {
      const reason = UNREADABLE_REASONS.find((code) => isStoreError(error, code))
      if (reason) {
        this.log.error('store-open-failed', { code: reason })
        return this.set({ state: 'store-unreadable', reason })
      }
      throw error
    } finally {
      this.sodium.memzero(databaseKey)
    }
  }

  private set(state: LockState): LockState {
    this.current = state
    for (const listener of [...this.listeners]) listener(state)
    return state
  }
}
