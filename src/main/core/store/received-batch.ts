import type { MessageId } from '../../../shared/ids'
import type { ConversationRepository, NewConversation } from './conversation-repository'
import type { SqliteDatabase } from './encrypted-database'
import type { MessageRepository } from './message-repository'
import type { NewMessage } from './message-types'
import type { MailboxRef, RelayCursorRepository } from './relay-cursor-repository'
import type { SenderKeyUpdate, SessionRepository, SessionUpdate } from './session-repository'

/** Everything one decrypted inbound batch changes, committed together. */
export interface ReceivedBatch {
  /** Conversations the messages need that may not exist yet (first message from someone); existing ones are left alone. */
  readonly conversations?: readonly NewConversation[]
  readonly messages: readonly NewMessage[]
  /** Ratchet states after decrypting the batch. */
  readonly sessionUpdates: readonly SessionUpdate[]
  readonly senderKeyUpdates?: readonly SenderKeyUpdate[]
  /** The relay mailbox position the batch ends at; omitted for local-only batches. */
  readonly cursor?: { readonly mailbox: MailboxRef; readonly lastSeq: number }
}

export interface ReceivedBatchResult {
  readonly inserted: readonly MessageId[]
  /** Already stored (relay redelivery after a crash before ack): skipped. */
  readonly duplicates: readonly MessageId[]
}

/**
 * Stores a decrypted batch in ONE transaction: messages (idempotent by id),
 * the ratchet states that decrypted them, and the relay cursor. Either all of
 * it is on disk or none of it; after a crash the relay redelivers the batch,
 * the sessions are still at their old state, and the messages decrypt again.
 * Session state and messages must never diverge: a session saved without its
 * messages would lose them (their keys are gone), messages saved without the
 * session would make the redelivered copies undecryptable.
 */
export function storeReceivedBatch(
  db: SqliteDatabase,
  repositories: { messages: MessageRepository; sessions: SessionRepository; cursors: RelayCursorRepository; conversations: ConversationRepository },
  batch: ReceivedBatch,
  nowMs: number = Date.now()
): ReceivedBatchResult {
  return db.transaction((): ReceivedBatchResult => {
    for (const conversation of batch.conversations ?? []) repositories.conversations.create(conversation)
    const inserted: MessageId[] = []
    const duplicates: MessageId[] = []
    for (const message of batch.messages) {
      ;(repositories.messages.insert(message) === 'inserted' ? inserted : duplicates).push(message.id)
    }
    for (const update of batch.sessionUpdates) repositories.sessions.put(update, nowMs)
    for (const update of batch.senderKeyUpdates ?? []) repositories.sessions.putSenderKey(update, nowMs)
    if (batch.cursor !== undefined) repositories.cursors.advance(batch.cursor.mailbox, batch.cursor.lastSeq, nowMs)
    return { inserted, duplicates }
  }).immediate()
}
