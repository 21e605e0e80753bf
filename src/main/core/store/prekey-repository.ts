import type { SqliteDatabase } from './encrypted-database'
import { StoreError } from './store-error'

export type PrekeyKind = 'signed-x25519' | 'one-time-x25519' | 'signed-kem' | 'one-time-kem' | 'last-resort-kem'

export interface StoredPrekey {
  readonly kind: PrekeyKind
  readonly keyId: number
  readonly formatVersion: number
  /** Opaque serialised key pair from the crypto layer. */
  readonly keyPair: Uint8Array
  readonly createdAt: number
  readonly usedAt: number | null
}

const ONE_TIME: ReadonlySet<PrekeyKind> = new Set(['one-time-x25519', 'one-time-kem'])

/** Our own prekeys (PQXDH: signed, one-time and last-resort KEM prekeys). */
export class PrekeyRepository {
  constructor(private readonly db: SqliteDatabase) {}

  putMany(prekeys: readonly Omit<StoredPrekey, 'usedAt'>[]): void {
    const insert = this.db.prepare(`INSERT INTO prekeys (kind, key_id, format_version, key_pair, created_at) VALUES (?, ?, ?, ?, ?)`)
    this.db.transaction(() => {
      for (const prekey of prekeys) {
        if (!Number.isSafeInteger(prekey.keyId) || prekey.keyId < 0) throw new StoreError('invalid-input', 'A prekey id is a non-negative integer.')
        insert.run(prekey.kind, prekey.keyId, prekey.formatVersion, prekey.keyPair, prekey.createdAt)
      }
    }).immediate()
  }

  get(kind: PrekeyKind, keyId: number): StoredPrekey | undefined {
    const row = this.db.prepare('SELECT * FROM prekeys WHERE kind = ? AND key_id = ?').get(kind, keyId) as
      | { kind: PrekeyKind; key_id: number; format_version: number; key_pair: Buffer; created_at: number; used_at: number | null }
      | undefined
    if (row === undefined) return undefined
    return { kind: row.kind, keyId: row.key_id, formatVersion: row.format_version, keyPair: new Uint8Array(row.key_pair), createdAt: row.created_at, usedAt: row.used_at }
  }

  /**
   * Consumes a one-time prekey: returns it and deletes it in one transaction,
   * so a second initial message naming the same one-time prekey finds nothing
   * (protocol brief, adversarial test 6). Signed and last-resort prekeys stay.
   */
  consume(kind: PrekeyKind, keyId: number, nowMs: number = Date.now()): StoredPrekey | undefined {
    return this.db.transaction(() => {
      const prekey = this.get(kind, keyId)
      if (prekey === undefined) return undefined
      if (ONE_TIME.has(kind)) this.db.prepare('DELETE FROM prekeys WHERE kind = ? AND key_id = ?').run(kind, keyId)
      else this.db.prepare('UPDATE prekeys SET used_at = ? WHERE kind = ? AND key_id = ?').run(nowMs, kind, keyId)
      return prekey
    }).immediate()
  }

  count(kind: PrekeyKind): number {
    return this.db.prepare('SELECT count(*) FROM prekeys WHERE kind = ?').pluck().get(kind) as number
  }

  nextKeyId(kind: PrekeyKind): number {
    return (this.db.prepare('SELECT coalesce(max(key_id), 0) + 1 FROM prekeys WHERE kind = ?').pluck().get(kind) as number)
  }

  delete(kind: PrekeyKind, keyId: number): boolean {
    return this.db.prepare('DELETE FROM prekeys WHERE kind = ? AND key_id = ?').run(kind, keyId).changes > 0
  }
}
