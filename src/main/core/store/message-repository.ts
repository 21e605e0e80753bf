import type { AttachmentId, ConversationId, MessageId } from '../../../shared/ids'
import { asConversationId, asMessageId } from '../../../shared/ids'
import type { SqliteDatabase } from './encrypted-database'
import type { MessagePageCursor, MessageRow, MessageStatus, NewMessage, Reaction, StoredMessage } from './message-types'
import { messageFromRow } from './message-types'
import { StoreError } from './store-error'
import { isSqliteCode } from './encrypted-database'

/** Longest body we store: far above any sane chat message, bounds a hostile peer. */
export const MAX_MESSAGE_BODY_CHARS = 64 * 1024
const MAX_PAGE = 500

export type InsertResult = 'inserted' | 'duplicate'

/** What a removal freed: attachment files the caller must now unlink. */
export interface RemovedMessages {
  readonly messageIds: readonly MessageId[]
  readonly attachmentIds: readonly AttachmentId[]
}

/**
 * Messages, their reactions and edit history. Inserts are idempotent on the
 * message id (relays may deliver twice; the outbox may resend).
 */
export class MessageRepository {
  private readonly insertStatement
  private readonly touchConversation
  private readonly latestStatement
  private readonly olderStatement
  private readonly byIdStatement

  constructor(private readonly db: SqliteDatabase) {
    this.insertStatement = db.prepare(`
      INSERT INTO messages (message_id, conversation_id, sender_id, sender_device_id, direction, body,
                            sent_at, received_at, status, reply_to_id, expires_at)
      VALUES (@id, @conversationId, @senderId, @senderDeviceId, @direction, @body,
              @sentAt, @receivedAt, @status, @replyToId, @expiresAt)
      ON CONFLICT (message_id) DO NOTHING`)
    this.touchConversation = db.prepare(`
      UPDATE conversations SET last_message_at = max(coalesce(last_message_at, 0), ?) WHERE conversation_id = ?`)
    this.latestStatement = db.prepare(`
      SELECT * FROM messages WHERE conversation_id = ? ORDER BY sent_at DESC, seq DESC LIMIT ?`)
    this.olderStatement = db.prepare(`
      SELECT * FROM messages WHERE conversation_id = ? AND (sent_at < ? OR (sent_at = ? AND seq < ?))
      ORDER BY sent_at DESC, seq DESC LIMIT ?`)
    this.byIdStatement = db.prepare('SELECT * FROM messages WHERE message_id = ?')
  }

  /** Inserts one message; a second insert of the same id is reported, not an error. */
  insert(message: NewMessage): InsertResult {
    validateNewMessage(message)
    const result = runMapped(() => this.insertStatement.run({
      id: message.id,
      conversationId: message.conversationId,
      senderId: message.senderId,
      senderDeviceId: message.senderDeviceId ?? null,
      direction: message.direction,
      body: message.body,
      sentAt: message.sentAt,
      receivedAt: message.receivedAt,
      status: message.status,
      replyToId: message.replyToId ?? null,
      expiresAt: message.expiresAt ?? null
    }))
    if (result.changes === 0) return 'duplicate'
    this.touchConversation.run(message.sentAt, message.conversationId)
    return 'inserted'
  }

  /** Inserts many messages in one transaction. */
  insertMany(messages: readonly NewMessage[]): InsertResult[] {
    return this.db.transaction(() => messages.map((message) => this.insert(message))).immediate()
  }

  get(id: MessageId): StoredMessage | undefined {
    const row = this.byIdStatement.get(id) as MessageRow | undefined
    return row === undefined ? undefined : messageFromRow(row)
  }

  /**
   * The newest `limit` messages of a conversation, newest first; pass the
   * last message of a page as `before` to get the next older page.
   */
  page(conversationId: ConversationId, limit = 50, before?: MessagePageCursor): StoredMessage[] {
    const size = clampPage(limit)
    const rows = (before === undefined
      ? this.latestStatement.all(conversationId, size)
      : this.olderStatement.all(conversationId, before.sentAt, before.sentAt, before.seq, size)) as MessageRow[]
    return rows.map(messageFromRow)
  }

  setStatus(id: MessageId, status: MessageStatus): void {
    this.requireChange(this.db.prepare('UPDATE messages SET status = ? WHERE message_id = ?').run(status, id).changes, id)
  }

  /** Replaces the body, keeping the previous one in message_edits. Deleted messages cannot be edited. */
  edit(id: MessageId, newBody: string, editedAt: number): void {
    validateBody(newBody)
    this.db.transaction(() => {
      const current = this.get(id)
      if (current === undefined) throw notFound(id)
      if (current.body === null) throw new StoreError('conflict', 'A deleted message cannot be edited.')
      this.db
        .prepare(`INSERT INTO message_edits (message_id, edit_seq, previous_body, edited_at)
                  VALUES (?, (SELECT coalesce(max(edit_seq), 0) + 1 FROM message_edits WHERE message_id = ?), ?, ?)`)
        .run(id, id, current.body, editedAt)
      this.db.prepare('UPDATE messages SET body = ?, edited_at = ? WHERE message_id = ?').run(newBody, editedAt, id)
    }).immediate()
  }

  editHistory(id: MessageId): { previousBody: string; editedAt: number }[] {
    return (this.db
      .prepare('SELECT previous_body, edited_at FROM message_edits WHERE message_id = ? ORDER BY edit_seq')
      .all(id) as { previous_body: string; edited_at: number }[]).map((row) => ({ previousBody: row.previous_body, editedAt: row.edited_at }))
  }

  /**
   * "Delete for everyone": the body, edit history, reactions and attachments
   * go; the row stays as a tombstone so a re-delivered copy is recognised as
   * a duplicate instead of coming back.
   */
  markDeleted(id: MessageId, deletedAt: number): RemovedMessages {
    return this.db.transaction(() => {
      const attachmentIds = this.attachmentIdsOf([id])
      const changes = this.db
        .prepare('UPDATE messages SET body = NULL, deleted_at = ?, reply_to_id = NULL WHERE message_id = ?')
        .run(deletedAt, id).changes
      this.requireChange(changes, id)
      this.db.prepare('DELETE FROM message_edits WHERE message_id = ?').run(id)
      this.db.prepare('DELETE FROM message_reactions WHERE message_id = ?').run(id)
      this.db.prepare('DELETE FROM attachments WHERE message_id = ?').run(id)
      return { messageIds: [id], attachmentIds }
    }).immediate()
  }

  /** Removes messages whose expiry time has passed (disappearing messages). */
  removeExpired(now: number): RemovedMessages {
    return this.db.transaction(() => {
      const ids = (this.db.prepare('SELECT message_id FROM messages WHERE expires_at <= ?').pluck().all(now) as string[]).map(asMessageId)
      const attachmentIds = this.attachmentIdsOf(ids)
      this.db.prepare('DELETE FROM messages WHERE expires_at <= ?').run(now)
      return { messageIds: ids, attachmentIds }
    }).immediate()
  }

  /** Sets (or with `emoji = null` removes) one reactor's reaction. */
  react(id: MessageId, reactorId: string, emoji: string | null, reactedAt: number): void {
    if (emoji === null) {
      this.db.prepare('DELETE FROM message_reactions WHERE message_id = ? AND reactor_id = ?').run(id, reactorId)
      return
    }
    if (emoji.length === 0 || emoji.length > 32) throw new StoreError('invalid-input', 'A reaction is 1-32 characters.')
    if (this.get(id)?.body == null) throw notFound(id)
    this.db
      .prepare(`INSERT INTO message_reactions (message_id, reactor_id, emoji, reacted_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (message_id, reactor_id) DO UPDATE SET emoji = excluded.emoji, reacted_at = excluded.reacted_at
                WHERE excluded.reacted_at >= message_reactions.reacted_at`)
      .run(id, reactorId, emoji, reactedAt)
  }

  reactions(id: MessageId): Reaction[] {
    return (this.db
      .prepare('SELECT * FROM message_reactions WHERE message_id = ? ORDER BY reacted_at, reactor_id')
      .all(id) as { message_id: string; reactor_id: string; emoji: string; reacted_at: number }[]).map((row) => ({
      messageId: asMessageId(row.message_id),
      reactorId: row.reactor_id,
      emoji: row.emoji,
      reactedAt: row.reacted_at
    }))
  }

  countInConversation(conversationId: ConversationId): number {
    return this.db.prepare('SELECT count(*) FROM messages WHERE conversation_id = ?').pluck().get(asConversationId(conversationId)) as number
  }

  private attachmentIdsOf(messageIds: readonly MessageId[]): AttachmentId[] {
    const statement = this.db.prepare('SELECT attachment_id FROM attachments WHERE message_id = ?').pluck()
    return messageIds.flatMap((id) => statement.all(id) as AttachmentId[])
  }

  private requireChange(changes: number, id: MessageId): void {
    if (changes === 0) throw notFound(id)
  }
}

export function validateNewMessage(message: NewMessage): void {
  asMessageId(message.id)
  asConversationId(message.conversationId)
  validateBody(message.body)
  if (!Number.isSafeInteger(message.sentAt) || !Number.isSafeInteger(message.receivedAt)) {
    throw new StoreError('invalid-input', 'Message timestamps are integer milliseconds.')
  }
}

function validateBody(body: string): void {
  if (typeof body !== 'string' || body.length > MAX_MESSAGE_BODY_CHARS) {
    throw new StoreError('invalid-input', `A message body is a string of at most ${MAX_MESSAGE_BODY_CHARS} characters.`)
  }
}

function runMapped<T>(write: () => T): T {
  try {
    return write()
  } catch (error) {
    if (isSqliteCode(error, 'SQLITE_CONSTRAINT_FOREIGNKEY')) {
      throw new StoreError('invalid-input', 'The message refers to a conversation that does not exist.', { cause: error })
    }
    throw error
  }
}

function clampPage(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1) throw new StoreError('invalid-input', 'A page size is a positive integer.')
  return Math.min(limit, MAX_PAGE)
}

function notFound(id: MessageId): StoreError {
  return new StoreError('not-found', `No message with id ${id}.`)
}
