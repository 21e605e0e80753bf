import type { SqliteDatabase } from './encrypted-database'
import type { Migration } from './migrations'
import { MIGRATIONS } from './migrations'
import { StoreError } from './store-error'

/** The schema version is SQLite's own `user_version` header field. */
export function schemaVersion(db: SqliteDatabase): number {
  return db.pragma('user_version', { simple: true }) as number
}

/**
 * Brings the schema up to the newest migration this code knows (or to
 * `targetVersion`, which tests use to stop part-way). A database written by
 * newer code is refused before anything is changed: an older app cannot know
 * what the newer tables mean, and "repairing" them would lose data.
 */
export function migrateDatabase(db: SqliteDatabase, migrations: readonly Migration[] = MIGRATIONS, targetVersion?: number): number {
  assertOrdered(migrations)
  const latest = migrations.length
  const target = targetVersion ?? latest
  const current = schemaVersion(db)
  if (current > latest) {
    throw new StoreError(
      'schema-too-new',
      `This database has schema version ${current}, newer than this version of Tessera supports (${latest}). Update Tessera to open it.`
    )
  }
  for (const migration of migrations) {
    if (migration.version <= current || migration.version > target) continue
    db.transaction(() => {
      migration.up(db)
      db.pragma(`user_version=${migration.version}`)
    }).immediate()
  }
  return schemaVersion(db)
}

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`Migration ${migration.name} has version ${migration.version}, expected ${index + 1}: migrations are numbered 1..n without gaps.`)
    }
  })
}
