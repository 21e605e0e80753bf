// The sync engine's storage contracts (sync-store.ts) implemented over the
// real encrypted store (src/main/core/store). A decrypted batch is committed
// with TesseraStore.storeReceivedBatch: messages, the session states their
// decryption advanced and the mailbox cursor in ONE SQLite transaction, so
// after a crash either all of a batch is on disk (and the cursor says so) or
// none of it is (and the relay redelivers).
import type { ReceivedBatch } from '../store/received-batch'
import type { OutboxRepository } from '../store/outbox-repository'
import type { TesseraStore } from '../store/tessera-store'
import type { InboundBatch, InboundStore, MailboxRef, OutboxStore } from './sync-store'

/** What a decrypt step hands to the store for one batch: everything but the cursor, which the engine adds. */
export type DecryptedInbound = Omit<ReceivedBatch, 'cursor'>

export class StoreBackedInbound implements InboundStore<DecryptedInbound> {
  constructor(private readonly store: TesseraStore) {}

  loadCursor(mailbox: MailboxRef): number {
    return this.store.cursors.load(mailbox)
  }

  commitInbound(batch: InboundBatch, decrypted: DecryptedInbound): number {
    const result = this.store.storeReceivedBatch({ ...decrypted, cursor: { mailbox: batch.mailbox, lastSeq: batch.lastSeq } })
    return result.inserted.length
  }
}

export interface StoreBackedSync {
  readonly inbound: StoreBackedInbound
  readonly outbox: OutboxStore
}

/** The outbox repository, plus one-transaction batching of receipts (nested updates become savepoints). */
function batchingOutbox(store: TesseraStore): OutboxStore {
  const outbox: OutboxRepository = store.outbox
  return {
    enqueue: (entry) => outbox.enqueue(entry),
    listDue: (relayUrl, nowMs, limit) => outbox.listDue(relayUrl, nowMs, limit),
    pendingRelays: () => outbox.pendingRelays(),
    markSent: (messageId, receipt) => outbox.markSent(messageId, receipt),
    markRetry: (messageId, attempts, nextAttemptAt, errorCode) => outbox.markRetry(messageId, attempts, nextAttemptAt, errorCode),
    markFailed: (messageId, errorCode) => outbox.markFailed(messageId, errorCode),
    inOneTransaction: (updates) => store.db.transaction(updates).immediate()
  }
}

export function storeBackedSync(store: TesseraStore): StoreBackedSync {
  return { inbound: new StoreBackedInbound(store), outbox: batchingOutbox(store) }
}
