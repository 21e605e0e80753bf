import type { AccountId, DeviceId } from '../../../shared/ids'
import { asAccountId, asDeviceId } from '../../../shared/ids'
import type { SqliteDatabase } from './encrypted-database'
import { StoreError } from './store-error'

/** This install: our account, our device, and our identity secrets (opaque, crypto-layer format). */
export interface LocalAccount {
  readonly accountId: AccountId
  readonly deviceId: DeviceId
  readonly displayName: string
  readonly identityFormat: number
  readonly identitySecret: Uint8Array
  readonly createdAt: number
}

/** A device of any account, as certified by that account's identity key. */
export interface KnownDevice {
  readonly accountId: AccountId
  readonly deviceId: DeviceId
  readonly name: string
  readonly identityPublicKey: Uint8Array
  readonly signingPublicKey: Uint8Array
  readonly certificate: Uint8Array
  readonly addedAt: number
  readonly revokedAt: number | null
}

export type DeviceListOutcome = 'stored' | 'unchanged' | 'rollback'

/** The local account, known devices, and the newest signed device list per account. */
export class AccountRepository {
  constructor(private readonly db: SqliteDatabase) {}

  getLocal(): LocalAccount | undefined {
    const row = this.db.prepare('SELECT * FROM account WHERE singleton = 1').get() as
      | { account_id: string; device_id: string; display_name: string; identity_format: number; identity_secret: Buffer; created_at: number }
      | undefined
    if (row === undefined) return undefined
    return {
      accountId: row.account_id as AccountId,
      deviceId: row.device_id as DeviceId,
      displayName: row.display_name,
      identityFormat: row.identity_format,
      identitySecret: new Uint8Array(row.identity_secret),
      createdAt: row.created_at
    }
  }

  /** Written once, at account creation or device linking; a second call is refused. */
  createLocal(account: LocalAccount): void {
    asAccountId(account.accountId)
    asDeviceId(account.deviceId)
    const changes = this.db
      .prepare(`INSERT INTO account (singleton, account_id, device_id, display_name, identity_format, identity_secret, created_at)
                VALUES (1, ?, ?, ?, ?, ?, ?) ON CONFLICT (singleton) DO NOTHING`)
      .run(account.accountId, account.deviceId, account.displayName, account.identityFormat, account.identitySecret, account.createdAt).changes
    if (changes === 0) throw new StoreError('conflict', 'This profile already has an account.')
  }

  setDisplayName(displayName: string): void {
    this.db.prepare('UPDATE account SET display_name = ? WHERE singleton = 1').run(displayName)
  }

  upsertDevice(device: KnownDevice): void {
    asAccountId(device.accountId)
    asDeviceId(device.deviceId)
    this.db
      .prepare(`INSERT INTO devices (account_id, device_id, name, identity_public_key, signing_public_key, certificate, added_at, revoked_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (account_id, device_id) DO UPDATE SET name = excluded.name, identity_public_key = excluded.identity_public_key,
                  signing_public_key = excluded.signing_public_key, certificate = excluded.certificate, revoked_at = excluded.revoked_at`)
      .run(device.accountId, device.deviceId, device.name, device.identityPublicKey, device.signingPublicKey, device.certificate, device.addedAt, device.revokedAt)
  }

  /** Active (not revoked) devices of an account. */
  devices(accountId: AccountId, options: { includeRevoked?: boolean } = {}): KnownDevice[] {
    const rows = this.db
      .prepare(`SELECT * FROM devices WHERE account_id = ? AND (? OR revoked_at IS NULL) ORDER BY added_at, device_id`)
      .all(accountId, options.includeRevoked === true ? 1 : 0) as {
      account_id: string
      device_id: string
      name: string
      identity_public_key: Buffer
      signing_public_key: Buffer
      certificate: Buffer
      added_at: number
      revoked_at: number | null
    }[]
    return rows.map((row) => ({
      accountId: row.account_id as AccountId,
      deviceId: row.device_id as DeviceId,
      name: row.name,
      identityPublicKey: new Uint8Array(row.identity_public_key),
      signingPublicKey: new Uint8Array(row.signing_public_key),
      certificate: new Uint8Array(row.certificate),
      addedAt: row.added_at,
      revokedAt: row.revoked_at
    }))
  }

  revokeDevice(accountId: AccountId, deviceId: DeviceId, at: number): boolean {
    return this.db.prepare('UPDATE devices SET revoked_at = ? WHERE account_id = ? AND device_id = ? AND revoked_at IS NULL').run(at, accountId, deviceId).changes > 0
  }

  deviceListVersion(accountId: AccountId): number | undefined {
    return this.db.prepare('SELECT version FROM device_lists WHERE account_id = ?').pluck().get(accountId) as number | undefined
  }

  /**
   * Stores a (signature-checked) device list. Versions are monotonic: an
   * older version is a rollback and is refused; the same version with the
   * same bytes is a no-op, with other bytes a rollback too (equivocation).
   */
  storeDeviceList(accountId: AccountId, version: number, signedList: Uint8Array, at: number): DeviceListOutcome {
    if (!Number.isSafeInteger(version) || version < 0) throw new StoreError('invalid-input', 'A device list version is a non-negative integer.')
    return this.db.transaction((): DeviceListOutcome => {
      const current = this.db.prepare('SELECT version, signed_list FROM device_lists WHERE account_id = ?').get(accountId) as
        | { version: number; signed_list: Buffer }
        | undefined
      if (current !== undefined && version < current.version) return 'rollback'
      if (current !== undefined && version === current.version) return current.signed_list.equals(signedList) ? 'unchanged' : 'rollback'
      this.db
        .prepare(`INSERT INTO device_lists (account_id, version, signed_list, updated_at) VALUES (?, ?, ?, ?)
                  ON CONFLICT (account_id) DO UPDATE SET version = excluded.version, signed_list = excluded.signed_list, updated_at = excluded.updated_at`)
        .run(accountId, version, signedList, at)
      return 'stored'
    }).immediate()
  }
}
