import { MIGRATIONS } from '../../../../src/main/core/store/migrations'
import { migrateDatabase, schemaVersion } from '../../../../src/main/core/store/migrate'
import type { SqliteDatabase } from '../../../../src/main/core/store/encrypted-database'
import { openTempDatabase } from '../store-fixture'

/**
 * A real encrypted database migrated to `version - 1`, then to `version`
 * alone: each migration's test sees exactly what that migration adds.
 */
export function databaseAtVersion(version: number): { db: SqliteDatabase; cleanup: () => void; before: Set<string> } {
  const temp = openTempDatabase(`migration-${version}`)
  migrateDatabase(temp.db, MIGRATIONS, version - 1)
  const before = new Set(schemaObjects(temp.db))
  migrateDatabase(temp.db, MIGRATIONS, version)
  if (schemaVersion(temp.db) !== version) throw new Error(`expected schema version ${version}`)
  return { db: temp.db, cleanup: temp.cleanup, before }
}

/** "type:name" of every table, index and trigger in the schema. */
export function schemaObjects(db: SqliteDatabase): string[] {
  return (db.prepare("SELECT type || ':' || name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY 1").pluck().all() as string[])
}

export function addedObjects(db: SqliteDatabase, before: Set<string>): string[] {
  return schemaObjects(db).filter((name) => !before.has(name) && !/^table:messages_fts_/.test(name))
}

export function isStrict(db: SqliteDatabase, table: string): boolean {
  const sql = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").pluck().get(table) as string
  return /\)\s*STRICT/.test(sql)
}
