import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { BlobStore } from '../../../src/relay/store/blob-store'
import { openRelayDatabase } from '../../../src/relay/store/open-database'

// docs/relay-protocol.md 4.12 on real files and a real SQLite database.
const HOUR = 3600_000
const sha = (bytes: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(bytes).digest())

describe('BlobStore', () => {
  let dir: string
  let db: Database.Database
  let store: BlobStore
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-blobs-'))
    db = openRelayDatabase(dir, false)
    store = new BlobStore(db, dir, { blobRetentionMs: 30 * 24 * HOUR, blobUploadIdleMs: 24 * HOUR })
  })
  afterEach(() => db.close())

  it('appends in order, completes on the last byte and serves ranges', () => {
    const blob = new Uint8Array(randomBytes(1000))
    const hash = sha(blob)
    expect(store.appendChunk(hash, 1000, 0, blob.subarray(0, 400), 0)).toMatchObject({ status: 'ok', blob: { received: 400, complete: false } })
    expect(store.appendChunk(hash, 1000, 100, blob.subarray(100, 200), 0)).toMatchObject({ status: 'offset-mismatch' })
    expect(store.appendChunk(hash, 999, 400, blob.subarray(400), 0)).toMatchObject({ status: 'size-mismatch' })
    expect(store.appendChunk(hash, 1000, 400, blob.subarray(400), 0)).toMatchObject({ status: 'ok', blob: { received: 1000, complete: true } })
    expect(Buffer.from(store.read(hash, 990, 100)).equals(blob.subarray(990))).toBe(true)
    // A complete blob is not re-uploaded: the same status comes back.
    expect(store.appendChunk(hash, 1000, 0, blob.subarray(0, 10), 5)).toMatchObject({ status: 'ok', blob: { complete: true } })
  })

  it('discards an upload whose bytes do not hash to its address', () => {
    const hash = new Uint8Array(randomBytes(32))
    expect(store.appendChunk(hash, 10, 0, new Uint8Array(10), 0)).toEqual({ status: 'hash-mismatch' })
    expect(store.status(hash)).toBeUndefined()
    expect(readdirSync(join(dir, 'blobs'))).toEqual([])
  })

  it('expires abandoned uploads after the idle time and complete blobs after retention', () => {
    const done = new Uint8Array(randomBytes(10))
    const partial = new Uint8Array(randomBytes(10))
    store.appendChunk(sha(done), 10, 0, done, 0)
    store.appendChunk(sha(partial), 10, 0, partial.subarray(0, 5), 0)
    expect(store.expire(25 * HOUR, 100)).toBe(1)
    expect(store.status(sha(partial))).toBeUndefined()
    expect(store.status(sha(done))?.complete).toBe(true)
    expect(store.expire(31 * 24 * HOUR, 100)).toBe(1)
    expect(existsSync(join(dir, 'blobs', Buffer.from(sha(done)).toString('hex')))).toBe(false)
  })
})
