import type { SqliteDatabase } from './encrypted-database'
import { StoreError } from './store-error'

/** One mailbox the account reads from (the sync engine's MailboxRef). */
export interface MailboxRef {
  readonly relayUrl: string
  readonly mailboxId: Uint8Array
}

/**
 * The highest relay sequence number committed per mailbox. It only moves
 * forward: a lower value (a stale batch replayed after reconnect) is ignored,
 * so a crash never makes the client re-ack or skip envelopes.
 */
export class RelayCursorRepository {
  constructor(private readonly db: SqliteDatabase) {}

  /** 0 when nothing was received from this mailbox yet. */
  load(mailbox: MailboxRef): number {
    const seq = this.db
      .prepare('SELECT last_seq FROM relay_cursors WHERE relay_url = ? AND mailbox_id = ?')
      .pluck()
      .get(mailbox.relayUrl, mailbox.mailboxId) as number | undefined
    return seq ?? 0
  }

  advance(mailbox: MailboxRef, lastSeq: number, nowMs: number = Date.now()): void {
    if (!Number.isSafeInteger(lastSeq) || lastSeq < 0) throw new StoreError('invalid-input', 'A relay cursor is a non-negative integer.')
    this.db
      .prepare(`INSERT INTO relay_cursors (relay_url, mailbox_id, last_seq, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (relay_url, mailbox_id) DO UPDATE SET last_seq = excluded.last_seq, updated_at = excluded.updated_at
                WHERE excluded.last_seq > relay_cursors.last_seq`)
      .run(mailbox.relayUrl, mailbox.mailboxId, lastSeq, nowMs)
  }
}
