import { afterEach, describe, expect, it } from 'vitest'
import { MIGRATIONS } from '../../../../src/main/core/store/migrations'
import { migrateDatabase } from '../../../../src/main/core/store/migrate'
import { openTempDatabase } from '../store-fixture'
import { addedObjects, databaseAtVersion } from './migration-fixture'

let cleanup: () => void = () => {}
afterEach(() => cleanup())

const match = (db: ReturnType<typeof openTempDatabase>['db'], query: string): number[] =>
  db.prepare('SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rowid').pluck().all(query) as number[]

describe('migration 0008 message-search', () => {
  it('adds the FTS5 table and its three triggers', () => {
    const at = databaseAtVersion(8)
    cleanup = at.cleanup
    expect(addedObjects(at.db, at.before)).toEqual([
      'table:messages_fts',
      'trigger:messages_fts_after_delete',
      'trigger:messages_fts_after_insert',
      'trigger:messages_fts_after_update'
    ])
  })

  it('indexes messages stored before the migration (rebuild) and follows later edits and deletes', () => {
    const temp = openTempDatabase('migration-8-rebuild')
    cleanup = temp.cleanup
    migrateDatabase(temp.db, MIGRATIONS, 7)
    temp.db.exec(`
      INSERT INTO conversations (conversation_id, kind, created_at) VALUES ('k', 'direct', 0);
      INSERT INTO messages (seq, message_id, conversation_id, sender_id, direction, body, sent_at, received_at, status)
        VALUES (1, 'm1', 'k', 'a', 'incoming', 'old walrus', 0, 0, 'received');
    `)
    migrateDatabase(temp.db, MIGRATIONS, 8)
    expect(match(temp.db, 'walrus')).toEqual([1])
    temp.db.exec("UPDATE messages SET body = 'new narwhal' WHERE seq = 1")
    expect(match(temp.db, 'walrus')).toEqual([])
    expect(match(temp.db, 'narwhal')).toEqual([1])
    temp.db.exec('UPDATE messages SET body = NULL WHERE seq = 1')
    expect(match(temp.db, 'narwhal')).toEqual([])
    temp.db.exec("UPDATE messages SET body = 'back again' WHERE seq = 1; DELETE FROM messages WHERE seq = 1")
    expect(match(temp.db, 'back')).toEqual([])
    // FTS5's own consistency check throws SQLITE_CORRUPT_VTAB if index and content disagree.
    expect(() => temp.db.prepare("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')").run()).not.toThrow()
  })
})
