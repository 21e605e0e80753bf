/**
 * Storage of mailboxes and their message queues. The relay talks only to this
 * interface, so an embedded SQLite store (the default) can be replaced by a
 * distributed one. Implementations must make `appendMany` durable before it
 * returns (receipts promise durability) and keep per-mailbox seqs monotonic,
 * never reused, even after every message was acknowledged and expired.
 */

export interface MailboxRecord {
  /** Internal numeric handle used by the other stores. */
  handle: number
  mailboxId: Uint8Array
  ownerKey: Uint8Array
  deliveryTokenHash: Uint8Array
}

export type StoredMessage =
  | { kind: 'envelope'; seq: number; messageId: Uint8Array; receivedAt: number; firstContact: boolean; envelope: Uint8Array }
  | { kind: 'dropped'; seq: number; count: number; firstDroppedAt: number }

export interface AppendRequest {
  mailbox: MailboxRecord
  messageId: Uint8Array
  envelope: Uint8Array
  envelopeHash: Uint8Array
  firstContact: boolean
  receivedAt: number
}

export type AppendResult =
  | { status: 'stored'; seq: number; receivedAt: number; envelopeHash: Uint8Array }
  | { status: 'duplicate'; receivedAt: number; envelopeHash: Uint8Array }
  /** Quota reached: nothing stored except (for token sends) the dropped marker. */
  | { status: 'full' }

export type CreateMailboxResult = 'created' | 'exists-same-owner' | 'exists-other-owner'

export interface ExpiryResult {
  expiredMessages: number
  forgottenIds: number
  /** A batch was full or a sweep is mid-pass: call again soon. */
  more?: boolean
}

export interface MailboxStore {
  createMailbox(mailboxId: Uint8Array, ownerKey: Uint8Array, deliveryTokenHash: Uint8Array, now: number): CreateMailboxResult
  getMailbox(mailboxId: Uint8Array): MailboxRecord | undefined
  setDeliveryTokenHash(mailbox: MailboxRecord, deliveryTokenHash: Uint8Array): void
  /** Appends in one durable transaction; results are in request order. */
  appendMany(requests: readonly AppendRequest[]): AppendResult[]
  /** Pending (unacknowledged) messages with seq > afterSeq, in seq order. */
  readAfter(mailbox: MailboxRecord, afterSeq: number, limit: number): StoredMessage[]
  /** Acknowledges seq <= upToSeq and each of `seqs`; returns how many became acknowledged. */
  ack(mailbox: MailboxRecord, upToSeq: number, seqs: readonly number[], now: number): number
  /** Deletes at most `batchSize` expired rows per call (retention, then dedupe window). */
  expire(now: number, retentionMs: number, dedupeWindowMs: number, batchSize: number): ExpiryResult
  /** Highest seq ever assigned in the mailbox (0 if none). */
  lastSeq(mailbox: MailboxRecord): number
  pendingCount(mailbox: MailboxRecord): number
  /** Runs several of the calls above as one durable unit (nested transactions become savepoints). */
  inOneTransaction(work: () => void): void
  close(): void
}
