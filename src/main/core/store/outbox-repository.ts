import type { MessageId } from '../../../shared/ids'
import type { SqliteDatabase } from './encrypted-database'
import type { OutboxEntry, RelayReceipt } from '../sync/sync-store'
import { StoreError } from './store-error'

// The sync engine defines what an outbox entry is (its storage contract);
// this repository is the SQLCipher implementation of that contract.
export type { OutboxEntry }

export interface NewOutboxEntry extends Omit<OutboxEntry, 'attempts' | 'nextAttemptAt'> {
  /** The chat message this envelope carries, whose status follows the entry's fate. */
  readonly chatMessageId?: MessageId
}

/** What the store keeps of a relay receipt: all of it, inclusion proof included (migration 0009). */
export type OutboxReceipt = RelayReceipt

const PROOF_HASH_BYTES = 32

export type OutboxState = 'pending' | 'sent' | 'failed'

interface OutboxRow {
  envelope_id: Buffer
  relay_url: string
  mailbox_id: Buffer
  delivery_token: Buffer
  envelope: Buffer
  created_at: number
  attempts: number
  next_attempt_at: number
}

const ENVELOPE_ID_BYTES = 16

/**
 * The durable outbox. Implements the sync engine's OutboxStore contract
 * structurally (enqueue / listDue / pendingRelays / markSent / markRetry /
 * markFailed). When an entry carries a chat message, that message's status
 * moves to 'sent' or 'failed' in the same transaction as the entry.
 */
export class OutboxRepository {
  constructor(private readonly db: SqliteDatabase) {}

  /** Idempotent: enqueueing the same messageId twice keeps the first entry. */
  enqueue(entry: NewOutboxEntry): void {
    assertEnvelopeId(entry.messageId)
    this.db
      .prepare(`INSERT INTO outbox (envelope_id, chat_message_id, relay_url, mailbox_id, delivery_token, envelope, next_attempt_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (envelope_id) DO NOTHING`)
      .run(entry.messageId, entry.chatMessageId ?? null, entry.relayUrl, entry.mailboxId, entry.deliveryToken, entry.envelope, entry.createdAt, entry.createdAt)
  }

  /** Pending entries for this relay whose next attempt is due, oldest first. */
  listDue(relayUrl: string, nowMs: number, limit: number): OutboxEntry[] {
    const rows = this.db
      .prepare(`SELECT * FROM outbox WHERE state = 'pending' AND relay_url = ? AND next_attempt_at <= ?
                ORDER BY next_attempt_at, created_at LIMIT ?`)
      .all(relayUrl, nowMs, limit) as OutboxRow[]
    return rows.map(fromRow)
  }

  /** Relays with pending entries and the earliest next-attempt time of each. */
  pendingRelays(): { relayUrl: string; nextAttemptAt: number }[] {
    return (this.db
      .prepare(`SELECT relay_url, min(next_attempt_at) AS next FROM outbox WHERE state = 'pending' GROUP BY relay_url ORDER BY next`)
      .all() as { relay_url: string; next: number }[]).map((row) => ({ relayUrl: row.relay_url, nextAttemptAt: row.next }))
  }

  /** The relay accepted the envelope (or already had it): keep its signed receipt, leave the retry loop. */
  markSent(messageId: Uint8Array, receipt: OutboxReceipt, nowMs: number = Date.now()): void {
    const proof = encodeProof(receipt.proof)
    this.settle(messageId, () =>
      this.db
        .prepare(`UPDATE outbox SET state = 'sent', receipt_envelope_hash = ?, receipt_received_at = ?, receipt_signature = ?,
                  receipt_duplicate = ?, receipt_leaf_index = ?, receipt_tree_size = ?, receipt_proof = ?, settled_at = ?, last_error = NULL
                  WHERE envelope_id = ? AND state = 'pending'`)
        .run(receipt.envelopeHash, receipt.receivedAt, receipt.signature, receipt.duplicate ? 1 : 0, receipt.leafIndex ?? null, receipt.treeSize ?? null, proof, nowMs, messageId).changes
    )
  }

  /** The relay's signed receipt of a sent envelope (report evidence), if it was sent. */
  receipt(messageId: Uint8Array): OutboxReceipt | undefined {
    const row = this.db
      .prepare(`SELECT receipt_envelope_hash, receipt_received_at, receipt_signature, receipt_duplicate, receipt_leaf_index, receipt_tree_size, receipt_proof
                FROM outbox WHERE envelope_id = ? AND state = 'sent'`)
      .get(messageId) as
      | { receipt_envelope_hash: Buffer; receipt_received_at: number; receipt_signature: Buffer; receipt_duplicate: number; receipt_leaf_index: number | null; receipt_tree_size: number | null; receipt_proof: Buffer | null }
      | undefined
    if (row === undefined) return undefined
    return {
      envelopeHash: new Uint8Array(row.receipt_envelope_hash),
      receivedAt: row.receipt_received_at,
      signature: new Uint8Array(row.receipt_signature),
      duplicate: row.receipt_duplicate === 1,
      ...(row.receipt_leaf_index === null ? {} : { leafIndex: row.receipt_leaf_index }),
      ...(row.receipt_tree_size === null ? {} : { treeSize: row.receipt_tree_size }),
      ...(row.receipt_proof === null ? {} : { proof: decodeProof(row.receipt_proof) })
    }
  }

  markRetry(messageId: Uint8Array, attempts: number, nextAttemptAt: number, errorCode: string): void {
    const changes = this.db
      .prepare(`UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE envelope_id = ? AND state = 'pending'`)
      .run(attempts, nextAttemptAt, errorCode.slice(0, 100), messageId).changes
    if (changes === 0) throw notPending()
  }

  /** Given up: the entry leaves the retry loop and its chat message shows as failed. */
  markFailed(messageId: Uint8Array, errorCode: string, nowMs: number = Date.now()): void {
    this.settle(messageId, () =>
      this.db
        .prepare(`UPDATE outbox SET state = 'failed', last_error = ?, settled_at = ? WHERE envelope_id = ? AND state = 'pending'`)
        .run(errorCode.slice(0, 100), nowMs, messageId).changes
    )
  }

  state(messageId: Uint8Array): { state: OutboxState; attempts: number; lastError: string | null } | undefined {
    const row = this.db.prepare('SELECT state, attempts, last_error FROM outbox WHERE envelope_id = ?').get(messageId) as
      | { state: OutboxState; attempts: number; last_error: string | null }
      | undefined
    return row === undefined ? undefined : { state: row.state, attempts: row.attempts, lastError: row.last_error }
  }

  /** Settled entries older than `before` are no longer needed (receipts already acted on). */
  pruneSettled(before: number): number {
    return this.db.prepare(`DELETE FROM outbox WHERE state <> 'pending' AND settled_at < ?`).run(before).changes
  }

  private settle(messageId: Uint8Array, update: () => number): void {
    this.db.transaction(() => {
      if (update() === 0) {
        // Settling twice (a repeated receipt) is harmless; an unknown id is not.
        if (this.state(messageId) === undefined) throw notPending()
        return
      }
      const chatMessageId = this.db.prepare('SELECT chat_message_id FROM outbox WHERE envelope_id = ?').pluck().get(messageId) as string | null
      if (chatMessageId === null) return
      // A message goes to several devices: it is 'sent' once any envelope got
      // through, 'failed' only when every envelope failed.
      const counts = this.db
        .prepare(`SELECT sum(state = 'pending') AS pending, sum(state = 'sent') AS sent FROM outbox WHERE chat_message_id = ?`)
        .get(chatMessageId) as { pending: number; sent: number }
      const status = counts.sent > 0 ? 'sent' : counts.pending > 0 ? null : 'failed'
      if (status !== null) {
        this.db.prepare(`UPDATE messages SET status = ? WHERE message_id = ? AND status IN ('pending', 'failed')`).run(status, chatMessageId)
      }
    }).immediate()
  }
}

function fromRow(row: OutboxRow): OutboxEntry {
  return {
    messageId: new Uint8Array(row.envelope_id),
    relayUrl: row.relay_url,
    mailboxId: new Uint8Array(row.mailbox_id),
    deliveryToken: new Uint8Array(row.delivery_token),
    envelope: new Uint8Array(row.envelope),
    createdAt: row.created_at,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at
  }
}

function encodeProof(proof: readonly Uint8Array[] | undefined): Buffer | null {
  if (proof === undefined) return null
  if (proof.some((hash) => hash.length !== PROOF_HASH_BYTES)) throw new StoreError('invalid-input', `Inclusion proof hashes are ${PROOF_HASH_BYTES} bytes.`)
  return Buffer.concat(proof)
}

function decodeProof(bytes: Buffer): Uint8Array[] {
  const hashes: Uint8Array[] = []
  for (let offset = 0; offset < bytes.length; offset += PROOF_HASH_BYTES) hashes.push(new Uint8Array(bytes.subarray(offset, offset + PROOF_HASH_BYTES)))
  return hashes
}

function assertEnvelopeId(id: Uint8Array): void {
  if (!(id instanceof Uint8Array) || id.length !== ENVELOPE_ID_BYTES) {
    throw new StoreError('invalid-input', `An outbox envelope id is ${ENVELOPE_ID_BYTES} bytes.`)
  }
}

function notPending(): StoreError {
  return new StoreError('not-found', 'No pending outbox entry with that id.')
}
