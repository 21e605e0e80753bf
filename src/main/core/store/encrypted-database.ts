import { closeSync, chmodSync, existsSync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3-multiple-ciphers'
import { StoreError } from './store-error'

export type SqliteDatabase = Database.Database

/** The database key is 256 random bits, applied raw (no KDF on open). */
export const DATABASE_KEY_BYTES = 32

/** Negative = KiB (sqlite.org/pragma.html#pragma_cache_size). */
export const CACHE_SIZE_KIB = -32 * 1024

export interface OpenDatabaseOptions {
  /** Open an existing file only; never create one (used by unlock checks). */
  readonly mustExist?: boolean
}

/**
 * Opens (or creates) a SQLCipher v4 database under a raw 256-bit key.
 *
 * - `cipher='sqlcipher'` + `legacy=4` selects the SQLCipher 4 page format
 *   (AES-256-CBC + HMAC-SHA512 per page) in SQLite3MultipleCiphers.
 * - The key is passed as `x'<hex>'`, SQLCipher's raw-key syntax, which skips
 *   the PBKDF2 step (~150 ms): the key is already uniformly random.
 *   `db.key(buffer)` would treat the bytes as a passphrase, so it is not used.
 * - A wrong key is only detected by the first read (SQLITE_NOTADB): we read
 *   sqlite_master at once and map that to StoreError('wrong-key'). Nothing is
 *   written before that read, so a wrong key leaves the file byte-identical.
 * - The data directory is 0700 and the file 0600 before SQLite first opens it;
 *   SQLite gives the -wal and -shm files the permissions of the main file.
 * - WAL with synchronous=FULL: each commit is fsynced, because the sync
 *   engine acknowledges messages to the relay after they are stored (see
 *   docs/decisions/0031-sqlcipher-raw-key-wal-full.md).
 * - temp_store=MEMORY keeps sort/index temp data off the disk (temporary files
 *   are outside the encrypted file).
 * - cache_size 32 MiB (default 2 MiB): every page read from disk is decrypted
 *   and MAC-checked, so cache misses cost SQLCipher far more than plain
 *   SQLite; indexes of a large history stay cached (bench:store).
 */
export function openEncryptedDatabase(path: string, key: Uint8Array, options: OpenDatabaseOptions = {}): SqliteDatabase {
  assertDatabaseKey(key)
  if (options.mustExist === true && !existsSync(path)) {
    throw new StoreError('not-found', 'The database file does not exist.')
  }
  prepareFile(path)
  const db = new Database(path, { fileMustExist: true })
  try {
    db.pragma(`cipher='sqlcipher'`)
    db.pragma('legacy=4')
    applyRawKey(db, 'key', key)
    checkKey(db)
    db.pragma('journal_mode=WAL')
    db.pragma('synchronous=FULL')
    db.pragma('foreign_keys=ON')
    db.pragma('temp_store=MEMORY')
    db.pragma(`cache_size=${CACHE_SIZE_KIB}`)
    db.pragma('busy_timeout=5000')
    return db
  } catch (error) {
    db.close()
    throw error
  }
}

/**
 * Re-encrypts every page under a new key. SQLCipher's `PRAGMA rekey` refuses
 * to run in WAL mode, so the journal goes to DELETE for the rekey and back
 * to WAL afterwards (the WAL is checkpointed and removed by the switch).
 */
export function rekeyDatabase(db: SqliteDatabase, newKey: Uint8Array): void {
  assertDatabaseKey(newKey)
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.pragma('journal_mode=DELETE')
  try {
    applyRawKey(db, 'rekey', newKey)
  } finally {
    db.pragma('journal_mode=WAL')
  }
}

export function assertDatabaseKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length !== DATABASE_KEY_BYTES) {
    throw new StoreError('invalid-key', `A database key is ${DATABASE_KEY_BYTES} bytes.`)
  }
}

function applyRawKey(db: SqliteDatabase, pragma: 'key' | 'rekey', key: Uint8Array): void {
  // The hex string cannot be wiped (JS strings are immutable); it lives only
  // for this call. The error path never includes it.
  const hex = Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('hex')
  db.pragma(`${pragma}="x'${hex}'"`)
}

function checkKey(db: SqliteDatabase): void {
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get()
  } catch (error) {
    if (isSqliteCode(error, 'SQLITE_NOTADB')) {
      throw new StoreError('wrong-key', 'The database key does not open this file (wrong key or not a Tessera database).')
    }
    throw error
  }
}

function prepareFile(path: string): void {
  const dir = dirname(path)
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    chmodSync(dir, 0o700)
    if (!existsSync(path)) closeSync(openSync(path, 'wx', 0o600))
    chmodSync(path, 0o600)
  } catch (error) {
    throw new StoreError('io', `Cannot prepare the database file: ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}.`, { cause: error })
  }
}

export function isSqliteCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code
}

/**
 * Whether `key` opens the existing database at `path`. A wrong key leaves
 * the file untouched (nothing is written before the first read succeeds).
 */
export function isDatabaseKey(path: string, key: Uint8Array): boolean {
  try {
    openEncryptedDatabase(path, key, { mustExist: true }).close()
    return true
  } catch (error) {
    if (error instanceof StoreError && error.code === 'wrong-key') return false
    throw error
  }
}
