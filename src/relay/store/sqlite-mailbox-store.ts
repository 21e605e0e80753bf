import { randomBytes } from 'node:crypto'
import type Database from 'better-sqlite3'
import type { AppendRequest, AppendResult, CreateMailboxResult, ExpiryResult, MailboxRecord, MailboxStore, StoredMessage } from './mailbox-store'

/**
 * MailboxStore on better-sqlite3 (WAL). This process is the only writer, so
 * per-mailbox counters (last seq, pending counts, acked floor, open dropped
 * marker) are cached in memory and the database stays the source of truth:
 * the cache is rebuilt from it after a restart or a failed transaction.
 */

interface MailboxState {
  record: MailboxRecord
  lastSeq: number
  pending: number
  firstContactPending: number
  /** Every seq <= ackedFloor is acknowledged (persisted as mailboxes.acked_floor); above it, acked_at marks selective acks. */
  ackedFloor: number
  /** Seq of the pending dropped marker that is the newest row, else 0. */
  openMarkerSeq: number
}

export interface QuotaSettings {
  mailboxQuota: number
  firstContactQuota: number
}

type Row = Record<string, unknown>
const key = (mailboxId: Uint8Array): string => Buffer.from(mailboxId).toString('hex')

export class SqliteMailboxStore implements MailboxStore {
  private readonly byId = new Map<string, MailboxState>()
  private readonly byHandle = new Map<number, MailboxState>()
  private readonly statements
  /** Where the current pass of the acknowledged-row sweep stands (a rowid; 0 = from the start). */
  private forgetCursor = 0

  constructor(
    private readonly db: Database.Database,
    private readonly quota: QuotaSettings
  ) {
    this.statements = {
      insertMailbox: db.prepare('INSERT INTO mailboxes (mailbox_id, owner_key, token_hash, created_at) VALUES (?, ?, ?, ?)'),
      mailboxById: db.prepare('SELECT id, mailbox_id, owner_key, token_hash, last_seq, acked_floor FROM mailboxes WHERE mailbox_id = ?'),
      setAckedFloor: db.prepare('UPDATE mailboxes SET acked_floor = ? WHERE id = ?'),
      setToken: db.prepare('UPDATE mailboxes SET token_hash = ? WHERE id = ?'),
      setLastSeq: db.prepare('UPDATE mailboxes SET last_seq = ? WHERE id = ?'),
      counts: db.prepare(
        'SELECT count(*) AS pending, coalesce(sum(first_contact), 0) AS first_contact FROM messages WHERE mbox = ? AND seq > ? AND acked_at IS NULL'
      ),
      countRange: db.prepare(
        'SELECT count(*) AS pending, coalesce(sum(first_contact), 0) AS first_contact FROM messages WHERE mbox = ? AND seq > ? AND seq <= ? AND acked_at IS NULL'
      ),
      newest: db.prepare('SELECT seq, kind, acked_at FROM messages WHERE mbox = ? ORDER BY seq DESC LIMIT 1'),
      byMessageId: db.prepare('SELECT received_at, envelope_hash FROM messages WHERE mbox = ? AND message_id = ?'),
      // OR IGNORE: a duplicate message id changes nothing (changes = 0), then byMessageId finds the original.
      insertMessage: db.prepare(
        'INSERT OR IGNORE INTO messages (mbox, seq, message_id, kind, first_contact, received_at, envelope_hash, envelope) VALUES (?, ?, ?, 0, ?, ?, ?, ?)'
      ),
      insertMarker: db.prepare(
        'INSERT INTO messages (mbox, seq, message_id, kind, first_contact, received_at, dropped_count) VALUES (?, ?, ?, 1, 0, ?, 1)'
      ),
      bumpMarker: db.prepare('UPDATE messages SET dropped_count = dropped_count + 1 WHERE mbox = ? AND seq = ?'),
      readAfter: db.prepare(
        'SELECT seq, message_id, kind, first_contact, received_at, envelope, dropped_count FROM messages WHERE mbox = ? AND seq > ? AND acked_at IS NULL ORDER BY seq LIMIT ?'
      ),
      ackOne: db.prepare('UPDATE messages SET envelope = NULL, acked_at = ? WHERE mbox = ? AND seq = ? AND acked_at IS NULL RETURNING seq, first_contact'),
      // Rowids grow with arrival (a new row's rowid is above every existing one), so the
      // oldest rows come first in rowid order: expiry reads at most one batch, no index needed.
      oldestReceivedAt: db.prepare('SELECT received_at FROM messages ORDER BY rowid LIMIT 1').pluck(),
      expireOld: db.prepare(
        'DELETE FROM messages WHERE rowid IN (SELECT rowid FROM messages ORDER BY rowid LIMIT ?) AND received_at < ? RETURNING mbox'
      ),
      // Acknowledged = selectively acked, or at or below the mailbox's floor; kept until the dedupe window passed.
      scanForget: db.prepare(
        'SELECT m.rowid AS r, m.received_at AS t, (m.acked_at IS NOT NULL OR m.seq <= b.acked_floor) AS acked FROM messages m JOIN mailboxes b ON b.id = m.mbox WHERE m.rowid > ? ORDER BY m.rowid LIMIT ?'
      ),
      deleteRow: db.prepare('DELETE FROM messages WHERE rowid = ?')
    }
  }

  createMailbox(mailboxId: Uint8Array, ownerKey: Uint8Array, deliveryTokenHash: Uint8Array, now: number): CreateMailboxResult {
    const existing = this.getMailbox(mailboxId)
    if (existing) return Buffer.from(existing.ownerKey).equals(ownerKey) ? 'exists-same-owner' : 'exists-other-owner'
    this.statements.insertMailbox.run(mailboxId, ownerKey, deliveryTokenHash, now)
    return 'created'
  }

  getMailbox(mailboxId: Uint8Array): MailboxRecord | undefined {
    return this.stateById(mailboxId)?.record
  }

  setDeliveryTokenHash(mailbox: MailboxRecord, deliveryTokenHash: Uint8Array): void {
    this.statements.setToken.run(deliveryTokenHash, mailbox.handle)
    mailbox.deliveryTokenHash = new Uint8Array(deliveryTokenHash)
  }

  appendMany(requests: readonly AppendRequest[]): AppendResult[] {
    const touched = new Set<MailboxState>()
    const run = (): AppendResult[] => {
      const results = requests.map((request) => this.appendOne(request, touched))
      // The last seq is persisted once per mailbox per batch, in the same transaction.
      for (const state of touched) this.statements.setLastSeq.run(state.lastSeq, state.record.handle)
      return results
    }
    try {
      return this.atomically(run)
    } catch (error) {
      this.forgetCachedCounters()
      throw error
    }
  }

  private duplicateOf(handle: number, messageId: Uint8Array): AppendResult | undefined {
    const seen = this.statements.byMessageId.get(handle, messageId) as Row | undefined
    return seen ? { status: 'duplicate', receivedAt: seen.received_at as number, envelopeHash: toBytes(seen.envelope_hash) } : undefined
  }

  private appendOne(request: AppendRequest, touched: Set<MailboxState>): AppendResult {
    const state = this.stateOf(request.mailbox)
    const handle = state.record.handle
    const full = request.firstContact ? state.firstContactPending >= this.quota.firstContactQuota : state.pending >= this.quota.mailboxQuota
    if (full) {
      // A retry of a message that is already stored is still a duplicate, not a refusal.
      const duplicate = this.duplicateOf(handle, request.messageId)
      if (duplicate) return duplicate
      if (!request.firstContact) this.recordDrop(state, request.receivedAt, touched)
      return { status: 'full' }
    }
    const seq = state.lastSeq + 1
    const inserted = this.statements.insertMessage.run(handle, seq, request.messageId, request.firstContact ? 1 : 0, request.receivedAt, request.envelopeHash, request.envelope)
    if (inserted.changes === 0) return this.duplicateOf(handle, request.messageId) as AppendResult
    state.lastSeq = seq
    state.pending++
    if (request.firstContact) state.firstContactPending++
    state.openMarkerSeq = 0
    touched.add(state)
    return { status: 'stored', seq, receivedAt: request.receivedAt, envelopeHash: request.envelopeHash }
  }

  /** One marker row counts consecutive refusals; a marker may exceed the quota by one row. */
  private recordDrop(state: MailboxState, now: number, touched: Set<MailboxState>): void {
    const handle = state.record.handle
    if (state.openMarkerSeq !== 0) {
      this.statements.bumpMarker.run(handle, state.openMarkerSeq)
      return
    }
    const seq = state.lastSeq + 1
    this.statements.insertMarker.run(handle, seq, randomBytes(16), now)
    touched.add(state)
    state.lastSeq = seq
    state.pending++
    state.openMarkerSeq = seq
  }

  readAfter(mailbox: MailboxRecord, afterSeq: number, limit: number): StoredMessage[] {
    const state = this.stateOf(mailbox)
    const rows = this.statements.readAfter.all(mailbox.handle, Math.max(afterSeq, state.ackedFloor), limit) as Row[]
    return rows.map((row): StoredMessage => {
      if (row.kind === 1) {
        return { kind: 'dropped', seq: row.seq as number, count: row.dropped_count as number, firstDroppedAt: row.received_at as number }
      }
      return {
        kind: 'envelope',
        seq: row.seq as number,
        messageId: toBytes(row.message_id),
        receivedAt: row.received_at as number,
        firstContact: row.first_contact === 1,
        envelope: toBytes(row.envelope)
      }
    })
  }

  ack(mailbox: MailboxRecord, upToSeq: number, seqs: readonly number[], now: number): number {
    const state = this.stateOf(mailbox)
    const handle = mailbox.handle
    // Never acknowledge seqs that do not exist yet: the floor would skip future messages.
    const upTo = Math.min(upToSeq, state.lastSeq)
    const floor = Math.max(state.ackedFloor, upTo)
    let acked = 0
    let firstContact = 0
    let markerAcked = false
    this.atomically(() => {
      if (upTo > state.ackedFloor) {
        // Cumulative: count what becomes acknowledged, then move the floor; no row is rewritten.
        const range = this.countAcknowledgedRange(state, upTo)
        acked += range.pending
        firstContact += range.firstContact
        markerAcked = state.openMarkerSeq > state.ackedFloor && state.openMarkerSeq <= upTo
        this.statements.setAckedFloor.run(upTo, handle)
      }
      for (const seq of new Set(seqs)) {
        if (seq <= floor || seq > state.lastSeq) continue
        for (const row of this.statements.ackOne.all(now, handle, seq) as Row[]) {
          acked++
          if (row.first_contact === 1) firstContact++
          if (row.seq === state.openMarkerSeq) markerAcked = true
        }
      }
    })
    state.ackedFloor = floor
    state.pending -= acked
    state.firstContactPending -= firstContact
    if (markerAcked) state.openMarkerSeq = 0
    return acked
  }

  /**
   * Pending rows (and first-contact ones among them) with floor < seq <= upTo.
   * When every seq above the floor is a pending row (no gap, no selective ack:
   * pending === lastSeq - floor), that is upTo - floor without a query.
   */
  private countAcknowledgedRange(state: MailboxState, upTo: number): { pending: number; firstContact: number } {
    const span = upTo - state.ackedFloor
    if (state.pending === state.lastSeq - state.ackedFloor) {
      if (state.firstContactPending === 0) return { pending: span, firstContact: 0 }
      if (state.firstContactPending === state.pending) return { pending: span, firstContact: span }
    }
    const range = this.statements.countRange.get(state.record.handle, state.ackedFloor, upTo) as Row
    return { pending: range.pending as number, firstContact: range.first_contact as number }
  }

  expire(now: number, retentionMs: number, dedupeWindowMs: number, batchSize: number): ExpiryResult {
    let expired: Row[] = []
    let forgotten = 0
    let more = false
    this.db.transaction(() => {
      // The oldest row decides whether a batch is worth reading (housekeeping repeats
      // expire() while a dedupe sweep pass is running).
      const oldest = this.statements.oldestReceivedAt.get() as number | undefined
      const cutoff = now - retentionMs
      expired = oldest !== undefined && oldest < cutoff ? (this.statements.expireOld.all(batchSize, cutoff) as Row[]) : []
      const sweep = this.forgetAcknowledged(now - dedupeWindowMs, batchSize)
      forgotten = sweep.forgotten
      more = expired.length === batchSize || sweep.more
    })()
    const handles = new Set(expired.map((row) => row.mbox as number))
    for (const handle of handles) {
      const state = this.byHandle.get(handle)
      if (state) this.loadCounters(state)
    }
    return { expiredMessages: expired.length, forgottenIds: forgotten, more }
  }

  /**
   * One step of a pass in rowid (arrival) order over the rows older than the
   * dedupe window: deletes the acknowledged ones, steps over old pending ones
   * (retention expires those), and starts the next pass from the beginning once
   * it reaches a row inside the window, so a row acknowledged later is found then.
   */
  private forgetAcknowledged(cutoff: number, batchSize: number): { forgotten: number; more: boolean } {
    const rows = this.statements.scanForget.all(this.forgetCursor, batchSize) as Row[]
    let forgotten = 0
    for (const row of rows) {
      if ((row.t as number) >= cutoff) {
        this.forgetCursor = 0
        return { forgotten, more: false }
      }
      if (row.acked === 1) forgotten += this.statements.deleteRow.run(row.r).changes
      this.forgetCursor = row.r as number
    }
    if (rows.length < batchSize) {
      this.forgetCursor = 0
      return { forgotten, more: false }
    }
    return { forgotten, more: true }
  }

  lastSeq(mailbox: MailboxRecord): number {
    return this.stateOf(mailbox).lastSeq
  }

  pendingCount(mailbox: MailboxRecord): number {
    return this.stateOf(mailbox).pending
  }

  inOneTransaction(work: () => void): void {
    try {
      this.db.transaction(work)()
    } catch (error) {
      this.forgetCachedCounters()
      throw error
    }
  }

  close(): void {
    this.byId.clear()
    this.byHandle.clear()
  }

  /**
   * Runs `work` in a transaction of its own, or directly inside the caller's
   * (inOneTransaction): a nested better-sqlite3 transaction is a SAVEPOINT,
   * which makes SQLite copy every page it touches to a statement journal, a
   * temp file created and deleted per commit (strace: ~2 extra page writes
   * per envelope). An error still rolls back the whole outer transaction.
   */
  private atomically<T>(work: () => T): T {
    return this.db.inTransaction ? work() : this.db.transaction(work)()
  }

  private stateById(mailboxId: Uint8Array): MailboxState | undefined {
    const cached = this.byId.get(key(mailboxId))
    if (cached) return cached
    const row = this.statements.mailboxById.get(mailboxId) as Row | undefined
    if (!row) return undefined
    const record: MailboxRecord = {
      handle: row.id as number,
      mailboxId: toBytes(row.mailbox_id),
      ownerKey: toBytes(row.owner_key),
      deliveryTokenHash: toBytes(row.token_hash)
    }
    const state: MailboxState = {
      record,
      lastSeq: row.last_seq as number,
      pending: 0,
      firstContactPending: 0,
      ackedFloor: row.acked_floor as number,
      openMarkerSeq: 0
    }
    this.loadCounters(state)
    this.byId.set(key(mailboxId), state)
    this.byHandle.set(record.handle, state)
    return state
  }

  private stateOf(mailbox: MailboxRecord): MailboxState {
    const state = this.byHandle.get(mailbox.handle) ?? this.stateById(mailbox.mailboxId)
    if (!state) throw new Error('mailbox vanished from the store')
    return state
  }

  private loadCounters(state: MailboxState): void {
    const handle = state.record.handle
    const counts = this.statements.counts.get(handle, state.ackedFloor) as Row
    state.pending = counts.pending as number
    state.firstContactPending = counts.first_contact as number
    const newest = this.statements.newest.get(handle) as Row | undefined
    const pendingMarker = newest && newest.kind === 1 && newest.acked_at === null && (newest.seq as number) > state.ackedFloor
    state.openMarkerSeq = pendingMarker ? (newest.seq as number) : 0
  }

  /** After a failed transaction the cached counters may be ahead of the database: reload them. */
  private forgetCachedCounters(): void {
    for (const state of this.byHandle.values()) {
      const row = this.statements.mailboxById.get(state.record.mailboxId) as Row | undefined
      if (row) {
        state.lastSeq = row.last_seq as number
        state.ackedFloor = row.acked_floor as number
      }
      this.loadCounters(state)
    }
  }
}

function toBytes(value: unknown): Uint8Array {
  return value instanceof Uint8Array ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : new Uint8Array(0)
}
