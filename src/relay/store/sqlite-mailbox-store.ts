import { randomBytes } from 'node:crypto'
import type Database from 'better-sqlite3'
import type { AppendRequest, AppendResult, CreateMailboxResult, ExpiryResult, MailboxRecord, MailboxStore, StoredMessage } from './mailbox-store'
import { DROPPED_MARKER, FIRST_CONTACT, PendingQueue } from './pending-queue'
import { scanPendingQueues } from './pending-scan'

/**
 * MailboxStore on better-sqlite3 (WAL). This process is the only writer, so
 * per-mailbox state (last seq, acked floor, and the queue of pending rows:
 * seq -> row id, see pending-queue.ts) is kept in memory and the database
 * stays the source of truth: the queues are rebuilt from it when the store
 * opens and after a failed transaction. The messages table is in arrival
 * order with no (mailbox, seq) index (decisions/0048).
 */

interface MailboxState {
  record: MailboxRecord
  lastSeq: number
  /** What mailboxes.last_seq holds; it is written before rows are deleted (expire), not per commit. */
  persistedLastSeq: number
  /** Every seq <= ackedFloor is acknowledged (persisted as mailboxes.acked_floor); above it, acked_at marks selective acks. */
  ackedFloor: number
  queue: PendingQueue
}

export interface QuotaSettings {
  mailboxQuota: number
  firstContactQuota: number
}

type Row = Record<string, unknown>
const key = (mailboxId: Uint8Array): string => Buffer.from(mailboxId.buffer, mailboxId.byteOffset, mailboxId.byteLength).toString('latin1')

export class SqliteMailboxStore implements MailboxStore {
  private readonly byId = new Map<string, MailboxState>()
  private readonly byHandle = new Map<number, MailboxState>()
  /** Pending rows per mailbox handle, also for mailboxes no state was loaded for yet. */
  private queues: Map<number, PendingQueue>
  private readonly statements
  /** Where the current pass of the acknowledged-row sweep stands (a row id; 0 = from the start). */
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
      byMessageId: db.prepare('SELECT received_at, envelope_hash FROM messages WHERE message_id = ? AND mbox = ?'),
      // OR IGNORE: a duplicate message id changes nothing (changes = 0), then byMessageId finds the original.
      insertMessage: db.prepare(
        'INSERT OR IGNORE INTO messages (mbox, seq, message_id, kind, first_contact, received_at, envelope_hash, envelope) VALUES (?, ?, ?, 0, ?, ?, ?, ?)'
      ),
      insertMarker: db.prepare(
        'INSERT INTO messages (mbox, seq, message_id, kind, first_contact, received_at, dropped_count) VALUES (?, ?, ?, 1, 0, ?, 1)'
      ),
      bumpMarker: db.prepare('UPDATE messages SET dropped_count = dropped_count + 1 WHERE id = ?'),
      rowById: db.prepare('SELECT seq, message_id, kind, first_contact, received_at, envelope, dropped_count FROM messages WHERE id = ?'),
      ackById: db.prepare('UPDATE messages SET envelope = NULL, acked_at = ? WHERE id = ? AND acked_at IS NULL'),
      // Ids grow with arrival (a new row's id is above every existing one), so the
      // oldest rows come first in id order: expiry reads at most one batch, no index needed.
      oldestReceivedAt: db.prepare('SELECT received_at FROM messages ORDER BY id LIMIT 1').pluck(),
      expireOld: db.prepare(
        'DELETE FROM messages WHERE id IN (SELECT id FROM messages ORDER BY id LIMIT ?) AND received_at < ? RETURNING mbox, seq'
      ),
      // Acknowledged = selectively acked, or at or below the mailbox's floor; kept until the dedupe window passed.
      scanForget: db.prepare(
        'SELECT m.id AS r, m.received_at AS t, (m.acked_at IS NOT NULL OR m.seq <= b.acked_floor) AS acked FROM messages m JOIN mailboxes b ON b.id = m.mbox WHERE m.id > ? ORDER BY m.id LIMIT ?'
      ),
      deleteRow: db.prepare('DELETE FROM messages WHERE id = ?')
    }
    this.queues = scanPendingQueues(db)
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
    try {
      return this.atomically(() => requests.map((request) => this.appendOne(request)))
    } catch (error) {
      this.afterFailure()
      throw error
    }
  }

  private duplicateOf(handle: number, messageId: Uint8Array): AppendResult | undefined {
    const seen = this.statements.byMessageId.get(messageId, handle) as Row | undefined
    return seen ? { status: 'duplicate', receivedAt: seen.received_at as number, envelopeHash: toBytes(seen.envelope_hash) } : undefined
  }

  private appendOne(request: AppendRequest): AppendResult {
    const state = this.stateOf(request.mailbox)
    const handle = state.record.handle
    const { queue } = state
    const full = request.firstContact ? queue.firstContactPending >= this.quota.firstContactQuota : queue.pending >= this.quota.mailboxQuota
    if (full) {
      // A retry of a message that is already stored is still a duplicate, not a refusal.
      const duplicate = this.duplicateOf(handle, request.messageId)
      if (duplicate) return duplicate
      if (!request.firstContact) this.recordDrop(state, request.receivedAt)
      return { status: 'full' }
    }
    const seq = state.lastSeq + 1
    const inserted = this.statements.insertMessage.run(handle, seq, request.messageId, request.firstContact ? 1 : 0, request.receivedAt, request.envelopeHash, request.envelope)
    if (inserted.changes === 0) return this.duplicateOf(handle, request.messageId) as AppendResult
    state.lastSeq = seq
    queue.push(seq, Number(inserted.lastInsertRowid), request.firstContact ? FIRST_CONTACT : 0)
    return { status: 'stored', seq, receivedAt: request.receivedAt, envelopeHash: request.envelopeHash }
  }

  /**
   * One marker row counts consecutive refusals: while the newest row is a
   * pending marker it is bumped, else a new one is stored. A marker may
   * exceed the quota by one row.
   */
  private recordDrop(state: MailboxState, now: number): void {
    const newest = state.queue.newest()
    if (newest && newest.seq === state.lastSeq && newest.flags & DROPPED_MARKER) {
      this.statements.bumpMarker.run(newest.id)
      return
    }
    const seq = state.lastSeq + 1
    const inserted = this.statements.insertMarker.run(state.record.handle, seq, randomBytes(16), now)
    state.lastSeq = seq
    state.queue.push(seq, Number(inserted.lastInsertRowid), DROPPED_MARKER)
  }

  readAfter(mailbox: MailboxRecord, afterSeq: number, limit: number): StoredMessage[] {
    const state = this.stateOf(mailbox)
    return state.queue.after(Math.max(afterSeq, state.ackedFloor), limit).map((entry): StoredMessage => {
      const row = this.statements.rowById.get(entry.id) as Row | undefined
      if (!row) throw new Error(`pending row ${entry.id} vanished from the messages table`)
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
    // Never acknowledge seqs that do not exist yet: the floor would skip future messages.
    const upTo = Math.min(upToSeq, state.lastSeq)
    const floor = Math.max(state.ackedFloor, upTo)
    try {
      return this.atomically(() => {
        let acked = 0
        if (upTo > state.ackedFloor) {
          // Cumulative: the queue says what becomes acknowledged; the floor moves, no row is rewritten.
          acked += state.queue.removeUpTo(upTo)
          this.statements.setAckedFloor.run(upTo, mailbox.handle)
          state.ackedFloor = upTo
        }
        for (const seq of new Set(seqs)) {
          if (seq <= floor || seq > state.lastSeq) continue
          const entry = state.queue.find(seq)
          if (!entry) continue
          this.statements.ackById.run(now, entry.id)
          state.queue.remove(seq)
          acked++
        }
        return acked
      })
    } catch (error) {
      this.afterFailure()
      throw error
    }
  }

  expire(now: number, retentionMs: number, dedupeWindowMs: number, batchSize: number): ExpiryResult {
    let expired: Row[] = []
    let forgotten = 0
    let more = false
    try {
      this.db.transaction(() => {
        // Deleting rows may delete a mailbox's newest seq: persist it first, so seqs are never reused.
        this.persistLastSeqs()
        // The oldest row decides whether a batch is worth reading (housekeeping repeats
        // expire() while a dedupe sweep pass is running).
        const oldest = this.statements.oldestReceivedAt.get() as number | undefined
        const cutoff = now - retentionMs
        expired = oldest !== undefined && oldest < cutoff ? (this.statements.expireOld.all(batchSize, cutoff) as Row[]) : []
        const sweep = this.forgetAcknowledged(now - dedupeWindowMs, batchSize)
        forgotten = sweep.forgotten
        more = expired.length === batchSize || sweep.more
      })()
    } catch (error) {
      this.afterFailure()
      throw error
    }
    for (const row of expired) this.queues.get(row.mbox as number)?.remove(row.seq as number)
    return { expiredMessages: expired.length, forgottenIds: forgotten, more }
  }

  /**
   * One step of a pass in id (arrival) order over the rows older than the
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
    return this.stateOf(mailbox).queue.pending
  }

  inOneTransaction(work: () => void): void {
    try {
      this.db.transaction(work)()
    } catch (error) {
      this.afterFailure()
      throw error
    }
  }

  close(): void {
    if (this.db.open) this.persistLastSeqs()
    this.byId.clear()
    this.byHandle.clear()
    this.queues.clear()
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

  private persistLastSeqs(): void {
    for (const state of this.byHandle.values()) {
      if (state.lastSeq <= state.persistedLastSeq) continue
      this.statements.setLastSeq.run(state.lastSeq, state.record.handle)
      state.persistedLastSeq = state.lastSeq
    }
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
      persistedLastSeq: row.last_seq as number,
      ackedFloor: row.acked_floor as number,
      queue: this.queueOf(record.handle)
    }
    this.byId.set(key(mailboxId), state)
    this.byHandle.set(record.handle, state)
    return state
  }

  private queueOf(handle: number): PendingQueue {
    let queue = this.queues.get(handle)
    if (!queue) this.queues.set(handle, (queue = new PendingQueue()))
    return queue
  }

  private stateOf(mailbox: MailboxRecord): MailboxState {
    const state = this.byHandle.get(mailbox.handle) ?? this.stateById(mailbox.mailboxId)
    if (!state) throw new Error('mailbox vanished from the store')
    return state
  }

  /** Inside an outer transaction (inOneTransaction) the reload waits until that one has rolled back. */
  private afterFailure(): void {
    if (!this.db.inTransaction) this.reloadFromDatabase()
  }

  /**
   * After a failed transaction the in-memory state may be ahead of the
   * database: reload seqs and floors and rebuild the queues from it. Records
   * are kept (connections hold them), only their state is replaced.
   */
  private reloadFromDatabase(): void {
    this.queues = scanPendingQueues(this.db)
    for (const state of this.byHandle.values()) {
      const row = this.statements.mailboxById.get(state.record.mailboxId) as Row | undefined
      if (row) {
        state.lastSeq = row.last_seq as number
        state.persistedLastSeq = row.last_seq as number
        state.ackedFloor = row.acked_floor as number
      }
      state.queue = this.queueOf(state.record.handle)
    }
  }
}

function toBytes(value: unknown): Uint8Array {
  return value instanceof Uint8Array ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : new Uint8Array(0)
}
