import { mkdir } from 'node:fs/promises'
import type { AppInfo, TesseraContract } from '../../shared/api/contract'
import { tesseraContract } from '../../shared/api/contract'
import type { Dispatcher } from './api/dispatcher'
import { createDispatcher } from './api/dispatcher'
import { EventHub } from './api/event-hub'
import { createHandlers } from './api/handlers'
import { curve25519 } from './crypto/primitives/curve25519-backend'
import { loadSodium } from './crypto/sodium'
import type { Argon2Params } from './keys/argon2-params'
import { DatabaseKeyVault } from './keys/database-key-vault'
import type { SecretVault } from './keys/secret-vault'
import type { Logger } from './log/logger'
import type { PlatformPort } from './platform/platform-port'
import { SettingsStore } from './settings/settings-store'
import { isDatabaseKey } from './store/encrypted-database'
import { storePaths } from './store/store-paths'
import { keychainAccountFor } from './unlock/keychain-account'
import { ProfileUnlocker } from './unlock/profile-unlocker'

export interface CoreOptions {
  readonly profileDir: string
  readonly appInfo: AppInfo
  readonly platform: PlatformPort
  /** The OS keychain (keytar in the app and the test host). */
  readonly secretVault: SecretVault
  readonly log: Logger
  /** Argon2id costs for new wrapped-key files; the defaults (keys/argon2-params.ts) unless a test lowers them. */
  readonly argon2?: { readonly recoveryKey?: Argon2Params; readonly passphrase?: Argon2Params }
}

/** The composed core: what every transport needs, and one dispose for all of it. */
export interface Core {
  readonly dispatcher: Dispatcher
  readonly events: EventHub<TesseraContract>
  readonly unlocker: ProfileUnlocker
  dispose(): Promise<void>
}

/**
 * Wires the core once, without a container: explicit constructor arguments,
 * no module-level singletons (docs/architecture.md, "Wiring"). It tries to
 * open the store from the keychain right away, so a normal start needs no
 * user input; otherwise the lock state tells the UI what to ask for.
 */
export async function composeCore(options: CoreOptions): Promise<Core> {
  // 0700: the profile holds the encrypted database, wrapped keys and settings.
  await mkdir(options.profileDir, { recursive: true, mode: 0o700 })
  const sodium = await loadSodium()
  // Which libsodium runs X25519/Ed25519: native, or wasm where the binary does not load (decision 0017).
  options.log.info('crypto backend', { curve25519: curve25519().name })
  const events = new EventHub<TesseraContract>()
  const settings = new SettingsStore(options.profileDir, options.log)
  const paths = storePaths(options.profileDir)
  const keys = new DatabaseKeyVault({
    sodium,
    vault: options.secretVault,
    profileId: keychainAccountFor(options.appInfo.profile, options.profileDir),
    paths,
    isDatabaseKey: (key) => isDatabaseKey(paths.database, key),
    ...(options.argon2 ? { argon2: options.argon2 } : {})
  })
  const unlocker = new ProfileUnlocker(keys, options.profileDir, sodium, options.log)
  unlocker.onChange((state) => events.emit('lockStateChanged', state))
  await unlocker.unlock()

  const handlers = createHandlers({ appInfo: options.appInfo, settings, events, platform: options.platform, unlocker })
  const dispatcher = createDispatcher(tesseraContract, handlers, options.log)
  return {
    dispatcher,
    events,
    unlocker,
    dispose: async () => {
      unlocker.dispose()
      events.dispose()
    }
  }
}
