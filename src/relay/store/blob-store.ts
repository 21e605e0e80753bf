import { createHash } from 'node:crypto'
import { closeSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import type Database from 'better-sqlite3'

/**
 * Attachment blobs (docs/relay-protocol.md 4.12): files under `<dataDir>/blobs`
 * named by the hex SHA-256 of their ciphertext, metadata in relay.db. Uploads
 * append in order and are resumable across reconnects and relay restarts
 * (`received` is the file length); the hash is checked when the last byte
 * arrives, and a mismatching upload is discarded.
 */
export interface BlobStatus {
  totalSize: number
  received: number
  complete: boolean
  expiresAt: number
}

export type AppendChunkResult =
  | { status: 'ok'; blob: BlobStatus }
  | { status: 'offset-mismatch'; blob: BlobStatus }
  | { status: 'size-mismatch'; blob: BlobStatus }
  | { status: 'hash-mismatch' }

export interface BlobSettings {
  blobRetentionMs: number
  blobUploadIdleMs: number
}

type Row = Record<string, unknown>
const READ_BUFFER_BYTES = 1024 * 1024

export class BlobStore {
  private readonly dir: string
  private readonly statements

  constructor(
    private readonly db: Database.Database,
    dataDir: string,
    private readonly settings: BlobSettings
  ) {
    this.dir = join(dataDir, 'blobs')
    mkdirSync(this.dir, { recursive: true })
    this.statements = {
      get: db.prepare('SELECT total_size, received, complete, expires_at FROM blobs WHERE hash = ?'),
      upsert: db.prepare(
        'INSERT INTO blobs (hash, total_size, received, complete, expires_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (hash) DO UPDATE SET received = excluded.received, complete = excluded.complete, expires_at = excluded.expires_at'
      ),
      remove: db.prepare('DELETE FROM blobs WHERE hash = ?'),
      expired: db.prepare('SELECT hash FROM blobs WHERE expires_at < ? LIMIT ?')
    }
  }

  status(hash: Uint8Array): BlobStatus | undefined {
    const row = this.statements.get.get(hash) as Row | undefined
    if (!row) return undefined
    return { totalSize: row.total_size as number, received: row.received as number, complete: row.complete === 1, expiresAt: row.expires_at as number }
  }

  appendChunk(hash: Uint8Array, totalSize: number, offset: number, chunk: Uint8Array, now: number): AppendChunkResult {
    const existing = this.status(hash)
    if (existing?.complete) return { status: 'ok', blob: existing }
    const current = existing ?? { totalSize, received: 0, complete: false, expiresAt: now + this.settings.blobUploadIdleMs }
    if (current.totalSize !== totalSize) return { status: 'size-mismatch', blob: current }
    if (offset !== current.received || offset + chunk.length > totalSize) return { status: 'offset-mismatch', blob: current }
    const partPath = this.partPath(hash)
    const fd = openSync(partPath, existing ? 'r+' : 'w')
    try {
      writeSync(fd, chunk, 0, chunk.length, offset)
    } finally {
      closeSync(fd)
    }
    const received = offset + chunk.length
    if (received < totalSize) {
      const blob = { totalSize, received, complete: false, expiresAt: now + this.settings.blobUploadIdleMs }
      this.statements.upsert.run(hash, totalSize, received, 0, blob.expiresAt)
      return { status: 'ok', blob }
    }
    if (!hashOfFile(partPath, totalSize).equals(hash)) {
      rmSync(partPath, { force: true })
      this.statements.remove.run(hash)
      return { status: 'hash-mismatch' }
    }
    renameSync(partPath, this.completePath(hash))
    const blob = { totalSize, received, complete: true, expiresAt: now + this.settings.blobRetentionMs }
    this.statements.upsert.run(hash, totalSize, received, 1, blob.expiresAt)
    return { status: 'ok', blob }
  }

  /** Reads up to `length` bytes of a complete blob from `offset`. */
  read(hash: Uint8Array, offset: number, length: number): Uint8Array {
    const fd = openSync(this.completePath(hash), 'r')
    try {
      const out = new Uint8Array(length)
      const read = readSync(fd, out, 0, length, offset)
      return out.subarray(0, read)
    } finally {
      closeSync(fd)
    }
  }

  /** Deletes up to `batchSize` expired blobs (complete or abandoned uploads). */
  expire(now: number, batchSize: number): number {
    const rows = this.statements.expired.all(now, batchSize) as Row[]
    for (const row of rows) {
      const hash = row.hash as Uint8Array
      rmSync(this.partPath(hash), { force: true })
      rmSync(this.completePath(hash), { force: true })
      this.statements.remove.run(hash)
    }
    return rows.length
  }

  private partPath(hash: Uint8Array): string {
    return join(this.dir, `${Buffer.from(hash).toString('hex')}.part`)
  }

  private completePath(hash: Uint8Array): string {
    return join(this.dir, Buffer.from(hash).toString('hex'))
  }
}

function hashOfFile(path: string, size: number): Buffer {
  const hash = createHash('sha256')
  const fd = openSync(path, 'r')
  try {
    const buffer = Buffer.allocUnsafe(Math.min(READ_BUFFER_BYTES, Math.max(size, 1)))
    let position = 0
    while (position < size) {
      const read = readSync(fd, buffer, 0, Math.min(buffer.length, size - position), position)
      if (read === 0) break
      hash.update(buffer.subarray(0, read))
      position += read
    }
  } finally {
    closeSync(fd)
  }
  return hash.digest()
}
