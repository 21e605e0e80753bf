// What the sync engine needs from durable storage, as narrow interfaces the
// store implements (an adapter over src/main/core/store). The engine never
// sees plaintext: it hands opaque envelopes to a decrypt step and the step's
// output to the store, which persists it together with the new cursor.

/** One mailbox the account reads from: its relay and its 32-byte id. */
export interface MailboxRef {
  readonly relayUrl: string
  readonly mailboxId: Uint8Array
}

/** A `deliver` push (docs/relay-protocol.md): one sealed envelope at a mailbox sequence number. */
export interface ReceivedEnvelope {
  readonly seq: number
  /** The sender's 16-byte idempotency id; the client drops a second copy by this id. */
  readonly messageId: Uint8Array
  readonly receivedAt: number
  readonly firstContact: boolean
  readonly envelope: Uint8Array
}

/** A `dropped` push: the relay's quota discarded `count` envelopes at this sequence position. */
export interface DroppedMarker {
  readonly seq: number
  readonly count: number
  readonly firstDroppedAt: number
}

/** One unit of work: everything received since the last commit, in sequence order. */
export interface InboundBatch {
  readonly mailbox: MailboxRef
  readonly envelopes: readonly ReceivedEnvelope[]
  readonly dropped: readonly DroppedMarker[]
  /** Highest sequence number in the batch: the cursor after commit. */
  readonly lastSeq: number
}

/**
 * The pluggable decrypt step. It must not persist anything and must not
 * change session state that outlives the call: it returns the updated session
 * states in its result, and InboundStore.commitInbound persists them in the
 * same transaction as the messages and the cursor, so a crash replays the
 * batch against the old states consistently. The engine commits every batch
 * it decrypted, even if the connection dropped meanwhile. An envelope it cannot open becomes an entry in its result
 * (e.g. "undecryptable"), never an exception; an exception aborts the batch
 * (nothing stored, nothing acked; the relay redelivers after reconnect).
 */
export type DecryptBatch<T> = (batch: InboundBatch) => Promise<T> | T

export interface InboundStore<T> {
  /** Highest sequence number committed for this mailbox; 0 when nothing was received yet. */
  loadCursor(mailbox: MailboxRef): number
  /**
   * In ONE transaction: store the decrypted batch (ignoring messages whose
   * id is already stored, which is how redelivered duplicates disappear) and
   * set the mailbox cursor to batch.lastSeq. Returns how many messages were
   * newly stored.
   */
  commitInbound(batch: InboundBatch, decrypted: T): number
}

/** An envelope waiting to be sent, persisted before the first attempt. */
export interface OutboxEntry {
  /** 16 random bytes chosen once at enqueue; every retry reuses it so the relay deduplicates. */
  readonly messageId: Uint8Array
  readonly relayUrl: string
  readonly mailboxId: Uint8Array
  /** 32 bytes, or empty to write to the mailbox's first-contact queue. */
  readonly deliveryToken: Uint8Array
  /** Sealed, padded envelope; never re-encrypted on retry (the ratchet already advanced). */
  readonly envelope: Uint8Array
  readonly createdAt: number
  readonly attempts: number
  readonly nextAttemptAt: number
}

/**
 * The relay's receipt (docs/relay-protocol.md, receipt): its Ed25519
 * signature covers the Merkle root of one group commit, and the inclusion
 * proof (leafIndex, treeSize, proof) ties this envelope to that root. Keep
 * all of it to be able to show the receipt to someone else later.
 */
export interface RelayReceipt {
  readonly envelopeHash: Uint8Array
  readonly receivedAt: number
  readonly signature: Uint8Array
  /** The relay had already stored this message id (an earlier attempt got through). */
  readonly duplicate: boolean
  readonly leafIndex?: number
  readonly treeSize?: number
  readonly proof?: readonly Uint8Array[]
}

export interface OutboxStore {
  /** Idempotent: enqueueing the same messageId twice keeps the first entry. */
  enqueue(entry: Omit<OutboxEntry, 'attempts' | 'nextAttemptAt'>): void
  /** Entries for this relay whose next attempt is due, oldest first. */
  listDue(relayUrl: string, nowMs: number, limit: number): OutboxEntry[]
  /** Relays with unsent entries, and the earliest next-attempt time of each. */
  pendingRelays(): { relayUrl: string; nextAttemptAt: number }[]
  /** The relay accepted it (or already had it): the entry leaves the outbox. */
  markSent(messageId: Uint8Array, receipt: RelayReceipt): void
  markRetry(messageId: Uint8Array, attempts: number, nextAttemptAt: number, errorCode: string): void
  /** Given up (permanent refusal or too old): the entry leaves the retry loop and the UI shows it failed. */
  markFailed(messageId: Uint8Array, errorCode: string): void
  /**
   * Optional: runs several of the updates above in one transaction (one
   * fsync instead of one per receipt). Without it each update commits alone.
   */
  inOneTransaction?(updates: () => void): void
}
