import type { Sodium } from '../crypto/sodium'
import { isDatabaseKey } from '../store/encrypted-database'
import { storePaths } from '../store/store-paths'
import { DatabaseKeyVault } from './database-key-vault'
import { KeytarVault } from './keytar-vault'
import type { SecretVault } from './secret-vault'

/**
 * The DatabaseKeyVault of one profile directory, wired to the OS keychain
 * (keytar, service "Tessera", account = profile id) and to the profile's
 * database for key checks. compose.ts calls this once per profile.
 */
export function createProfileKeyVault(options: { sodium: Sodium; profileId: string; dataDir: string; vault?: SecretVault }): DatabaseKeyVault {
  const paths = storePaths(options.dataDir)
  return new DatabaseKeyVault({
    sodium: options.sodium,
    vault: options.vault ?? new KeytarVault(),
    profileId: options.profileId,
    paths,
    isDatabaseKey: (key) => isDatabaseKey(paths.database, key)
  })
}
