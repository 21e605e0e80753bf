import type { SqliteDatabase } from './encrypted-database'
import type { MessageRepository } from './message-repository'
import type { NewMessage } from './message-types'
import type { NewOutboxEntry, OutboxRepository } from './outbox-repository'
import type { SenderKeyUpdate, SessionRepository, SessionUpdate } from './session-repository'

/** Everything sending one message changes, committed together. */
export interface OutgoingBatch {
  /** The chat message as the sender sees it (status 'pending'); omitted for control messages (receipts, typing). */
  readonly message?: NewMessage
  /** One sealed envelope per recipient device (Sesame fan-out), each with its idempotency id. */
  readonly envelopes: readonly NewOutboxEntry[]
  /** Ratchet states after encrypting the envelopes. */
  readonly sessionUpdates: readonly SessionUpdate[]
  readonly senderKeyUpdates?: readonly SenderKeyUpdate[]
}

/**
 * Stores a send in ONE transaction: the message, its envelopes in the outbox
 * and the ratchet states that produced them. If the session state were saved
 * without the envelopes, a crash would lose the message while the chain had
 * advanced; if the envelopes were saved without the state, the next send
 * would reuse message keys (a nonce reuse under the same key). Either all of
 * it is on disk or none of it.
 */
export function storeOutgoingBatch(
  db: SqliteDatabase,
  repositories: { messages: MessageRepository; outbox: OutboxRepository; sessions: SessionRepository },
  batch: OutgoingBatch,
  nowMs: number = Date.now()
): void {
  db.transaction(() => {
    if (batch.message !== undefined) repositories.messages.insert(batch.message)
    for (const update of batch.sessionUpdates) repositories.sessions.put(update, nowMs)
    for (const update of batch.senderKeyUpdates ?? []) repositories.sessions.putSenderKey(update, nowMs)
    for (const envelope of batch.envelopes) {
      repositories.outbox.enqueue({ ...envelope, chatMessageId: envelope.chatMessageId ?? batch.message?.id })
    }
  }).immediate()
}
