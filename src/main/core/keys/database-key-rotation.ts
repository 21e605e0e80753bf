import { randomBytes } from 'node:crypto'
import type { Sodium } from '../crypto/sodium'
import { DATABASE_KEY_BYTES } from '../store/encrypted-database'
import type { DatabaseKeyVault } from './database-key-vault'

/**
 * Rotates the database key (rekey) so that a crash at any step leaves a
 * profile that still opens:
 *   1. publish [new, old] everywhere the key is kept (keychain, wrapped files);
 *   2. PRAGMA rekey (store.rekey switches WAL -> DELETE -> WAL around it);
 *   3. publish [new] only.
 * Before 2 completes the old key opens the file, after it the new one, and
 * both are findable in every copy in between. Returns the new key (the
 * caller wipes it); `currentKey` is wiped here.
 */
export async function rotateDatabaseKey(
  sodium: Sodium,
  keyVault: DatabaseKeyVault,
  store: { rekey(newKey: Uint8Array): void },
  currentKey: Uint8Array
): Promise<Uint8Array> {
  const newKey = new Uint8Array(randomBytes(DATABASE_KEY_BYTES))
  await keyVault.publishKeys([newKey, currentKey])
  store.rekey(newKey)
  await keyVault.publishKeys([newKey])
  sodium.memzero(currentKey)
  return newKey
}
