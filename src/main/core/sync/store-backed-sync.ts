// The sync engine's storage contracts (sync-store.ts) implemented over the
// real encrypted database (src/main/core/store). Received messages, the
// session states their decryption advanced and the mailbox cursor are written
// in ONE SQLite transaction, so after a crash either all of a batch is on
// disk (and the cursor says so) or none of it is (and the relay redelivers).
import type { SqliteDatabase } from '../store/encrypted-database'
import { MessageRepository } from '../store/message-repository'
import type { NewMessage } from '../store/message-types'
import { OutboxRepository } from '../store/outbox-repository'
import { RelayCursorRepository } from '../store/relay-cursor-repository'
import type { InboundBatch, InboundStore, MailboxRef, OutboxStore } from './sync-store'

/** What a decrypt step hands to the store for one batch. */
export interface DecryptedInbound {
  /** Messages to store; ids already stored (redelivered duplicates) are skipped. */
  readonly messages: readonly NewMessage[]
  /** Writes the session states the decryption advanced; runs inside the batch transaction. */
  readonly writeSessionUpdates?: () => void
}

export class StoreBackedInbound implements InboundStore<DecryptedInbound> {
  private readonly messages: MessageRepository
  private readonly cursors: RelayCursorRepository

  constructor(private readonly db: SqliteDatabase) {
    this.messages = new MessageRepository(db)
    this.cursors = new RelayCursorRepository(db)
  }

  loadCursor(mailbox: MailboxRef): number {
    return this.cursors.load(mailbox)
  }

  commitInbound(batch: InboundBatch, decrypted: DecryptedInbound): number {
    // BEGIN IMMEDIATE: take the write lock up front instead of failing mid-batch on upgrade.
    return this.db.transaction(() => {
      decrypted.writeSessionUpdates?.()
      let inserted = 0
      for (const message of decrypted.messages) if (this.messages.insert(message) === 'inserted') inserted++
      this.cursors.advance(batch.mailbox, batch.lastSeq)
      return inserted
    }).immediate()
  }
}

export interface StoreBackedSync {
  readonly inbound: StoreBackedInbound
  readonly outbox: OutboxStore & OutboxRepository
}

export function storeBackedSync(db: SqliteDatabase): StoreBackedSync {
  return { inbound: new StoreBackedInbound(db), outbox: new OutboxRepository(db) }
}
