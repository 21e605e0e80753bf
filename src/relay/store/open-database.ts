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
export function openRelayDatabase(dataDir: string, syncFull: boolean): Database.Database {
  mkdirSync(dataDir, { recursive: true })
  const db = new Database(join(dataDir, 'relay.db'))
  db.pragma('journal_mode = WAL')
  db.pragma(`synchronous = ${syncFull ? 'FULL' : 'NORMAL'}`)
  db.pragma('busy_timeout = 5000')
  // Hot pages (indexes, the newest leaf pages) stay cached; fewer, larger
  // checkpoints copy each hot page once instead of once per 1,000 WAL pages.
  db.pragma('cache_size = -65536')
  db.pragma('wal_autocheckpoint = 10000')
  migrate(db)
  return db
}
