import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { openEncryptedDatabase } from '../../../src/main/core/store/encrypted-database'
import { MIGRATIONS } from '../../../src/main/core/store/migrations'
import { migrateDatabase, schemaVersion } from '../../../src/main/core/store/migrate'
import { openTempDatabase } from './store-fixture'

let cleanup: () => void = () => {}
afterEach(() => cleanup())

describe('migrateDatabase', () => {
  it('migrates an empty database to the newest version, and a second run changes nothing', () => {
    const temp = openTempDatabase('migrate')
    cleanup = temp.cleanup
    expect(migrateDatabase(temp.db)).toBe(MIGRATIONS.length)
    const schema = temp.db.prepare('SELECT sql FROM sqlite_master ORDER BY name').pluck().all()
    expect(migrateDatabase(temp.db)).toBe(MIGRATIONS.length)
    expect(temp.db.prepare('SELECT sql FROM sqlite_master ORDER BY name').pluck().all()).toEqual(schema)
  })

  it('refuses a database newer than the code with schema-too-new, leaving the file unchanged', () => {
    const temp = openTempDatabase('migrate-newer')
    cleanup = temp.cleanup
    migrateDatabase(temp.db)
    temp.db.pragma(`user_version=${MIGRATIONS.length + 1}`)
    temp.db.close()
    const hash = (): string => createHash('sha256').update(readFileSync(temp.path)).digest('hex')
    const before = hash()
    const db = openEncryptedDatabase(temp.path, temp.key)
    expect(() => migrateDatabase(db)).toThrow(expect.objectContaining({ name: 'StoreError', code: 'schema-too-new' }))
    expect(schemaVersion(db)).toBe(MIGRATIONS.length + 1)
    db.close()
    expect(hash()).toBe(before)
  })

  it('rolls a failing migration back completely, version included', () => {
    const temp = openTempDatabase('migrate-failing')
    cleanup = temp.cleanup
    const failing = [
      ...MIGRATIONS.slice(0, 1),
      {
        version: 2,
        name: 'half-done',
        up: (db: typeof temp.db) => {
          db.exec('CREATE TABLE half (x INTEGER) STRICT')
          throw new Error('boom')
        }
      }
    ]
    expect(() => migrateDatabase(temp.db, failing)).toThrow('boom')
    expect(schemaVersion(temp.db)).toBe(1)
    expect(temp.db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half'").pluck().get()).toBe(0)
  })

  it('rejects a migration list with a gap', () => {
    const temp = openTempDatabase('migrate-gap')
    cleanup = temp.cleanup
    expect(() => migrateDatabase(temp.db, [MIGRATIONS[0]!, MIGRATIONS[2]!])).toThrow(/without gaps/)
    expect(schemaVersion(temp.db)).toBe(0)
  })
})
