import { createHash } from 'node:crypto'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openEncryptedDatabase, rekeyDatabase } from '../../../src/main/core/store/encrypted-database'
import { StoreError } from '../../../src/main/core/store/store-error'
import { makeTempDir, randomKey } from './store-fixture'

const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()))

function tempPath(): string {
  const { dir, cleanup } = makeTempDir('db')
  cleanups.push(cleanup)
  return join(dir, 'profile', 'test.db')
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex')
}

describe('openEncryptedDatabase', () => {
  it('creates a 0700 directory and a 0600 file, in WAL mode with foreign keys on', () => {
    const path = tempPath()
    const db = openEncryptedDatabase(path, randomKey())
    db.exec("CREATE TABLE t (x TEXT) STRICT; INSERT INTO t VALUES ('a')")
    expect(statSync(join(path, '..')).mode & 0o777).toBe(0o700)
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(statSync(`${path}-wal`).mode & 0o777).toBe(0o600)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('synchronous', { simple: true })).toBe(2) // FULL
    db.close()
  })

  it('writes no SQLite header: the file is encrypted from byte 0', () => {
    const path = tempPath()
    const db = openEncryptedDatabase(path, randomKey())
    db.exec("CREATE TABLE t (x TEXT) STRICT; INSERT INTO t VALUES ('x')")
    db.close()
    expect(readFileSync(path).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0')
  })

  it('a wrong key gives StoreError wrong-key and leaves the file byte-identical', () => {
    const path = tempPath()
    const key = randomKey()
    const db = openEncryptedDatabase(path, key)
    db.exec("CREATE TABLE t (x TEXT) STRICT; INSERT INTO t VALUES ('precious')")
    db.close()
    const before = sha256(path)
    const error = (() => {
      try {
        openEncryptedDatabase(path, randomKey())
      } catch (caught) {
        return caught
      }
      return undefined
    })()
    expect(error).toBeInstanceOf(StoreError)
    expect((error as StoreError).code).toBe('wrong-key')
    expect(sha256(path)).toBe(before)
    expect(existsSync(`${path}-wal`)).toBe(false)
    const reopened = openEncryptedDatabase(path, key)
    expect(reopened.prepare('SELECT x FROM t').pluck().get()).toBe('precious')
    reopened.close()
  })

  it('refuses keys that are not 32 bytes', () => {
    const path = tempPath()
    expect(() => openEncryptedDatabase(path, new Uint8Array(16))).toThrow(expect.objectContaining({ code: 'invalid-key' }))
    expect(existsSync(path)).toBe(false)
  })

  it('rekeys in WAL mode: the old key stops working, the new one opens, WAL is back on', () => {
    const path = tempPath()
    const oldKey = randomKey()
    const newKey = randomKey()
    const db = openEncryptedDatabase(path, oldKey)
    db.exec("CREATE TABLE t (x TEXT) STRICT; INSERT INTO t VALUES ('kept')")
    rekeyDatabase(db, newKey)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    db.exec("INSERT INTO t VALUES ('after')")
    db.close()
    expect(() => openEncryptedDatabase(path, oldKey)).toThrow(expect.objectContaining({ code: 'wrong-key' }))
    const reopened = openEncryptedDatabase(path, newKey)
    expect(reopened.prepare('SELECT x FROM t ORDER BY rowid').pluck().all()).toEqual(['kept', 'after'])
    reopened.close()
  })
})
