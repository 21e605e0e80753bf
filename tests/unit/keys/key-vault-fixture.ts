import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { loadSodium } from '../../../src/main/core/crypto/sodium'
import { DatabaseKeyVault } from '../../../src/main/core/keys/database-key-vault'
import type { SecretVault } from '../../../src/main/core/keys/secret-vault'
import { isDatabaseKey } from '../../../src/main/core/store/encrypted-database'
import type { StorePaths } from '../../../src/main/core/store/store-paths'
import { storePaths } from '../../../src/main/core/store/store-paths'
import { makeTempDir } from '../store/store-fixture'

/** The cheapest Argon2id the file format accepts: these tests check the key plumbing, not the cost. */
export const FAST_ARGON2 = { opsLimit: 1, memLimit: 8 * 1024 * 1024 }

export async function makeKeyVault(vault: SecretVault, profileId: string): Promise<{ keyVault: DatabaseKeyVault; paths: StorePaths; cleanup: () => void }> {
  const { dir, cleanup } = makeTempDir('keys')
  const paths = storePaths(dir)
  const keyVault = new DatabaseKeyVault({
    sodium: await loadSodium(),
    vault,
    profileId,
    paths,
    isDatabaseKey: (key) => isDatabaseKey(paths.database, key),
    argon2: { recoveryKey: FAST_ARGON2, passphrase: FAST_ARGON2 }
  })
  return { keyVault, paths, cleanup }
}

/** A fingerprint of every file in the data directory: name, and hash of the bytes. */
export function snapshotDir(paths: StorePaths): Record<string, string> {
  const snapshot: Record<string, string> = {}
  for (const name of readdirSync(paths.dataDir)) {
    const path = `${paths.dataDir}/${name}`
    snapshot[name] = existsSync(path) && !name.startsWith('attachments') ? createHash('sha256').update(readFileSync(path)).digest('hex') : 'dir'
  }
  return snapshot
}
