import type { SqliteDatabase } from '../encrypted-database'

/**
 * One schema step. Migrations are numbered from 1, append-only (a shipped
 * migration is never edited; a change is a new file) and each runs in its
 * own transaction together with the `user_version` bump, so a crash leaves
 * the schema at the previous or the next version, never between.
 */
export interface Migration {
  readonly version: number
  readonly name: string
  readonly up: (db: SqliteDatabase) => void
}
