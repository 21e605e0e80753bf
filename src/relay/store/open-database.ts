import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { migrate } from './schema'

/**
 * Opens `<dataDir>/relay.db` in WAL mode. synchronous=NORMAL keeps every
 * committed transaction across a process crash (kill -9), which is what a
 * receipt promises; `syncFull` adds durability across power loss (SQLite
 * docs, "WAL mode" and PRAGMA synchronous).
 */
export function relayDatabasePath(dataDir: string): string {
  return join(dataDir, 'relay.db')
}

export function openRelayDatabase(dataDir: string, syncFull: boolean): Database.Database {
  mkdirSync(dataDir, { recursive: true })
  const db = new Database(relayDatabasePath(dataDir))
  // 8 KiB pages for a new database (a no-op on an existing one): a commit writes
  // whole pages to the WAL, and with 1 KiB envelopes fewer, larger pages cost
  // less per envelope (decisions/0048).
  db.pragma('page_size = 8192')
  db.pragma('journal_mode = WAL')
  db.pragma(`synchronous = ${syncFull ? 'FULL' : 'NORMAL'}`)
  db.pragma('busy_timeout = 5000')
  // Hot pages (indexes, the newest leaf pages) stay cached.
  db.pragma('cache_size = -65536')
  // Checkpoints run in a worker thread (checkpointer.ts), not inside commits.
  db.pragma('wal_autocheckpoint = 0')
  db.pragma('journal_size_limit = 67108864')
  // Statement journals and temp b-trees in memory, not in files under /var/tmp.
  db.pragma('temp_store = MEMORY')
  migrate(db)
  return db
}
