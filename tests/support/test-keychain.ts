import { KeytarVault } from '../../src/main/core/keys/keytar-vault'
import { keychainAccountFor } from '../../src/main/core/unlock/keychain-account'
import { startPrivateKeyring } from './private-keyring'

/**
 * The OS keychain for an end-to-end test. On Linux: a private D-Bus bus with
 * its own gnome-keyring (tests/support/private-keyring.ts), which can also
 * be locked. On macOS and Windows: the runner's own Keychain / Credential
 * Manager, which cannot be locked from a script; the entries a test makes are
 * removed by `forget`.
 */
export interface TestKeychain {
  readonly canLock: boolean
  lock(): void
  restartUnlocked(): Promise<void>
  /** Removes the entry a profile made, then stops the private keyring (if any). */
  stop(profiles?: ReadonlyArray<{ readonly name: string; readonly dir: string }>): Promise<void>
}

export async function startTestKeychain(): Promise<TestKeychain> {
  const forget = async (profiles: ReadonlyArray<{ readonly name: string; readonly dir: string }>) => {
    for (const profile of profiles) await new KeytarVault().delete(keychainAccountFor(profile.name, profile.dir)).catch(() => false)
  }
  if (process.platform === 'linux') {
    const keyring = await startPrivateKeyring({ withDaemon: true })
    return {
      canLock: true,
      lock: keyring.lock,
      restartUnlocked: keyring.restartUnlocked,
      stop: async (profiles = []) => {
        await forget(profiles)
        keyring.stop()
      }
    }
  }
  return {
    canLock: false,
    lock: () => {
      throw new Error('Locking the keychain from a test is only possible with the Linux Secret Service.')
    },
    restartUnlocked: async () => {},
    stop: forget
  }
}
