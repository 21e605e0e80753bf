import type { SqliteDatabase } from './encrypted-database'
import { StoreError } from './store-error'

/**
 * A ratchet session record as the crypto layer serialises it: opaque bytes
 * plus the format version of those bytes, so the crypto layer can upgrade
 * its own encoding without a schema change.
 */
export interface SessionRecord {
  readonly formatVersion: number
  readonly state: Uint8Array
}

export interface PeerDevice {
  readonly accountId: string
  readonly deviceId: string
}

export interface SessionUpdate extends PeerDevice, SessionRecord {}

export interface SenderKeyUpdate extends SessionRecord {
  readonly conversationId: string
  readonly senderAccountId: string
  readonly senderDeviceId: string
}

/** Bounds a corrupted or hostile state: 40 archived sessions of a few KB fit easily. */
export const MAX_SESSION_STATE_BYTES = 1024 * 1024

/** Pairwise ratchet sessions per peer device, and group sender-key states. */
export class SessionRepository {
  constructor(private readonly db: SqliteDatabase) {}

  get(peer: PeerDevice): SessionRecord | undefined {
    const row = this.db
      .prepare('SELECT format_version, state FROM sessions WHERE peer_account_id = ? AND peer_device_id = ?')
      .get(peer.accountId, peer.deviceId) as { format_version: number; state: Buffer } | undefined
    return row === undefined ? undefined : { formatVersion: row.format_version, state: new Uint8Array(row.state) }
  }

  put(update: SessionUpdate, nowMs: number = Date.now()): void {
    assertRecord(update)
    this.db
      .prepare(`INSERT INTO sessions (peer_account_id, peer_device_id, format_version, state, updated_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (peer_account_id, peer_device_id) DO UPDATE SET format_version = excluded.format_version,
                  state = excluded.state, updated_at = excluded.updated_at`)
      .run(update.accountId, update.deviceId, update.formatVersion, update.state, nowMs)
  }

  delete(peer: PeerDevice): boolean {
    return this.db.prepare('DELETE FROM sessions WHERE peer_account_id = ? AND peer_device_id = ?').run(peer.accountId, peer.deviceId).changes > 0
  }

  /** Devices of one account we hold a session with (Sesame fan-out). */
  devicesWithSessions(accountId: string): string[] {
    return this.db.prepare('SELECT peer_device_id FROM sessions WHERE peer_account_id = ? ORDER BY peer_device_id').pluck().all(accountId) as string[]
  }

  getSenderKey(key: { conversationId: string; senderAccountId: string; senderDeviceId: string }): SessionRecord | undefined {
    const row = this.db
      .prepare(`SELECT format_version, state FROM sender_keys WHERE conversation_id = ? AND sender_account_id = ? AND sender_device_id = ?`)
      .get(key.conversationId, key.senderAccountId, key.senderDeviceId) as { format_version: number; state: Buffer } | undefined
    return row === undefined ? undefined : { formatVersion: row.format_version, state: new Uint8Array(row.state) }
  }

  putSenderKey(update: SenderKeyUpdate, nowMs: number = Date.now()): void {
    assertRecord(update)
    this.db
      .prepare(`INSERT INTO sender_keys (conversation_id, sender_account_id, sender_device_id, format_version, state, updated_at)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (conversation_id, sender_account_id, sender_device_id) DO UPDATE SET
                  format_version = excluded.format_version, state = excluded.state, updated_at = excluded.updated_at`)
      .run(update.conversationId, update.senderAccountId, update.senderDeviceId, update.formatVersion, update.state, nowMs)
  }

  /** A member left: every sender key of the conversation is rotated, so the old states go. */
  deleteSenderKeys(conversationId: string): number {
    return this.db.prepare('DELETE FROM sender_keys WHERE conversation_id = ?').run(conversationId).changes
  }
}

function assertRecord(record: SessionRecord): void {
  if (!Number.isInteger(record.formatVersion) || record.formatVersion < 1) {
    throw new StoreError('invalid-input', 'A session format version is a positive integer.')
  }
  if (!(record.state instanceof Uint8Array) || record.state.length === 0 || record.state.length > MAX_SESSION_STATE_BYTES) {
    throw new StoreError('invalid-input', `A session state is 1..${MAX_SESSION_STATE_BYTES} bytes.`)
  }
}
