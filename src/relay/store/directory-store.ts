import type Database from 'better-sqlite3'
import type { PoolCount, PooledKey } from '../../shared/relay/index'

/**
 * Prekey bundles and signed device lists (docs/relay-protocol.md 4.8-4.11).
 * Contents are opaque; the relay only enforces sizes, counts, single hand-out
 * of one-time prekeys and monotonic device-list versions.
 */
export interface DeviceListRecord {
  version: number
  list: Uint8Array
  signature: Uint8Array
}

export type PublishPrekeysResult = { status: 'ok'; hasBundle: boolean; remaining: PoolCount[] } | { status: 'pool-full'; pool: number }

export interface DirectoryStore {
  publishPrekeys(handle: number, bundle: Uint8Array, oneTime: readonly PooledKey[], maxPerPool: number): PublishPrekeysResult
  /** Returns the bundle and removes (hands out) at most one one-time prekey per pool. */
  takePrekeys(handle: number): { bundle: Uint8Array; oneTimePrekeys: PooledKey[] } | undefined
  getDeviceList(handle: number): DeviceListRecord | undefined
  putDeviceList(handle: number, record: DeviceListRecord): void
}

type Row = Record<string, unknown>
const bytes = (value: unknown): Uint8Array => new Uint8Array(value as Buffer)

export class SqliteDirectoryStore implements DirectoryStore {
  private readonly statements

  constructor(private readonly db: Database.Database) {
    this.statements = {
      putBundle: db.prepare('INSERT INTO prekey_bundles (mbox, bundle) VALUES (?, ?) ON CONFLICT (mbox) DO UPDATE SET bundle = excluded.bundle'),
      getBundle: db.prepare('SELECT bundle FROM prekey_bundles WHERE mbox = ?'),
      addPrekey: db.prepare('INSERT INTO one_time_prekeys (mbox, pool, prekey) VALUES (?, ?, ?)'),
      countPools: db.prepare('SELECT pool, count(*) AS n FROM one_time_prekeys WHERE mbox = ? GROUP BY pool ORDER BY pool'),
      takeOne: db.prepare(
        'DELETE FROM one_time_prekeys WHERE id = (SELECT id FROM one_time_prekeys WHERE mbox = ? AND pool = ? ORDER BY id LIMIT 1) RETURNING prekey'
      ),
      getList: db.prepare('SELECT version, list, signature FROM device_lists WHERE mbox = ?'),
      putList: db.prepare(
        'INSERT INTO device_lists (mbox, version, list, signature) VALUES (?, ?, ?, ?) ON CONFLICT (mbox) DO UPDATE SET version = excluded.version, list = excluded.list, signature = excluded.signature'
      )
    }
  }

  private poolCounts(handle: number): PoolCount[] {
    return (this.statements.countPools.all(handle) as Row[]).map((row) => ({ pool: row.pool as number, count: row.n as number }))
  }

  publishPrekeys(handle: number, bundle: Uint8Array, oneTime: readonly PooledKey[], maxPerPool: number): PublishPrekeysResult {
    try {
      return this.publishInTransaction(handle, bundle, oneTime, maxPerPool)
    } catch (error) {
      if (error instanceof PoolFull) return { status: 'pool-full', pool: error.pool }
      throw error
    }
  }

  private publishInTransaction(handle: number, bundle: Uint8Array, oneTime: readonly PooledKey[], maxPerPool: number): PublishPrekeysResult {
    return this.db.transaction((): PublishPrekeysResult => {
      const counts = new Map(this.poolCounts(handle).map((entry) => [entry.pool, entry.count]))
      for (const item of oneTime) {
        const next = (counts.get(item.pool) ?? 0) + 1
        if (next > maxPerPool) throw new PoolFull(item.pool)
        counts.set(item.pool, next)
      }
      if (bundle.length > 0) this.statements.putBundle.run(handle, bundle)
      for (const item of oneTime) this.statements.addPrekey.run(handle, item.pool, item.key)
      const hasBundle = this.statements.getBundle.get(handle) !== undefined
      return { status: 'ok', hasBundle, remaining: this.poolCounts(handle) }
    })()
  }

  takePrekeys(handle: number): { bundle: Uint8Array; oneTimePrekeys: PooledKey[] } | undefined {
    return this.db.transaction(() => {
      const row = this.statements.getBundle.get(handle) as Row | undefined
      if (!row) return undefined
      const oneTimePrekeys: PooledKey[] = []
      for (const { pool } of this.poolCounts(handle)) {
        const taken = this.statements.takeOne.get(handle, pool) as Row | undefined
        if (taken) oneTimePrekeys.push({ pool, key: bytes(taken.prekey) })
      }
      return { bundle: bytes(row.bundle), oneTimePrekeys }
    })()
  }

  getDeviceList(handle: number): DeviceListRecord | undefined {
    const row = this.statements.getList.get(handle) as Row | undefined
    return row ? { version: row.version as number, list: bytes(row.list), signature: bytes(row.signature) } : undefined
  }

  putDeviceList(handle: number, record: DeviceListRecord): void {
    this.statements.putList.run(handle, record.version, record.list, record.signature)
  }
}

/** Thrown inside the publish transaction so nothing of an over-full publish is stored. */
export class PoolFull extends Error {
  constructor(readonly pool: number) {
    super(`one-time prekey pool ${pool} is full`)
  }
}
