// A real profile store (TesseraStore: SQLCipher file, migrations, attachment
// dir) in a temp dir, with one conversation the test messages belong to.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { asConversationId } from '../../../../src/shared/ids'
import { loadSodium } from '../../../../src/main/core/crypto/sodium'
import { TesseraStore } from '../../../../src/main/core/store/tessera-store'
import type { SqliteDatabase } from '../../../../src/main/core/store/encrypted-database'

export const TEST_CONVERSATION = asConversationId('sync-test-conversation')

export interface TempStore {
  readonly dir: string
  store: TesseraStore
  readonly db: SqliteDatabase
  /** Closes and opens the same profile again, as a client restart does. */
  reopen(): Promise<TesseraStore>
  dispose(): void
}

export async function createTempStore(prefix = 'tessera-sync-'): Promise<TempStore> {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  const databaseKey = new Uint8Array(randomBytes(32))
  const sodium = await loadSodium()
  const open = async (): Promise<TesseraStore> => {
    const store = await TesseraStore.open({ dataDir: join(dir, 'profile'), databaseKey: databaseKey.slice(), sodium })
    store.conversations.create({ id: TEST_CONVERSATION, kind: 'direct', createdAt: 1, members: [] })
    return store
  }
  const temp: TempStore = {
    dir,
    store: await open(),
    get db() {
      return temp.store.db
    },
    async reopen() {
      temp.store.close()
      temp.store = await open()
      return temp.store
    },
    dispose() {
      temp.store.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
  return temp
}

export function countMessages(db: SqliteDatabase): number {
  return db.prepare('SELECT count(*) FROM messages').pluck().get() as number
}

export function storedMessageIds(db: SqliteDatabase): string[] {
  return db.prepare('SELECT message_id FROM messages ORDER BY message_id').pluck().all() as string[]
}
