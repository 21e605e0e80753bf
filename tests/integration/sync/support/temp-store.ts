// A real SQLCipher database file in a temp dir, migrated to the current
// schema, with one conversation the test messages belong to.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { asConversationId } from '../../../../src/shared/ids'
import { ConversationRepository } from '../../../../src/main/core/store/conversation-repository'
import { openEncryptedDatabase, type SqliteDatabase } from '../../../../src/main/core/store/encrypted-database'
import { migrateDatabase } from '../../../../src/main/core/store/migrate'

export const TEST_CONVERSATION = asConversationId('sync-test-conversation')

export interface TempStore {
  readonly dir: string
  readonly path: string
  readonly key: Uint8Array
  db: SqliteDatabase
  /** Closes and opens the same file again, as a client restart does. */
  reopen(): SqliteDatabase
  dispose(): void
}

export function createTempStore(prefix = 'tessera-sync-'): TempStore {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  const path = join(dir, 'profile', 'tessera.sqlite3')
  const key = new Uint8Array(randomBytes(32))
  const open = (): SqliteDatabase => {
    const db = openEncryptedDatabase(path, key)
    migrateDatabase(db)
    new ConversationRepository(db).create({ id: TEST_CONVERSATION, kind: 'direct', createdAt: 1, members: [] })
    return db
  }
  const store: TempStore = {
    dir,
    path,
    key,
    db: open(),
    reopen() {
      if (store.db.open) store.db.close()
      store.db = open()
      return store.db
    },
    dispose() {
      if (store.db.open) store.db.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
  return store
}

export function countMessages(db: SqliteDatabase): number {
  return db.prepare('SELECT count(*) FROM messages').pluck().get() as number
}

export function storedMessageIds(db: SqliteDatabase): string[] {
  return db.prepare('SELECT message_id FROM messages ORDER BY message_id').pluck().all() as string[]
}
