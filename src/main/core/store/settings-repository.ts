import type { SqliteDatabase } from './encrypted-database'
import { StoreError } from './store-error'

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

const SETTING_KEY = /^[a-z][a-z0-9.-]{0,63}$/

/**
 * Settings that belong to the account and must stay private (they live in
 * the encrypted file): JSON values under dotted keys. Callers validate the
 * value's shape with their own schema when reading.
 */
export class SettingsRepository {
  constructor(private readonly db: SqliteDatabase) {}

  get(key: string): JsonValue | undefined {
    assertKey(key)
    const json = this.db.prepare('SELECT value_json FROM settings WHERE key = ?').pluck().get(key) as string | undefined
    return json === undefined ? undefined : (JSON.parse(json) as JsonValue)
  }

  set(key: string, value: JsonValue, nowMs: number = Date.now()): void {
    assertKey(key)
    const json = JSON.stringify(value)
    if (json === undefined || json.length > 64 * 1024) throw new StoreError('invalid-input', 'A setting value is JSON of at most 64 KiB.')
    this.db
      .prepare(`INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?)
                ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at`)
      .run(key, json, nowMs)
  }

  delete(key: string): boolean {
    assertKey(key)
    return this.db.prepare('DELETE FROM settings WHERE key = ?').run(key).changes > 0
  }
}

function assertKey(key: string): void {
  if (typeof key !== 'string' || !SETTING_KEY.test(key)) throw new StoreError('invalid-input', 'A setting key is 1-64 characters: a-z, 0-9, "." and "-".')
}
