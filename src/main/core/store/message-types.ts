import type { ConversationId, DeviceId, MessageId } from '../../../shared/ids'

export type MessageDirection = 'incoming' | 'outgoing'

/**
 * Outgoing: pending -> sent -> delivered -> read, or failed.
 * Incoming messages are 'received' (and 'read' once the user saw them).
 */
export type MessageStatus = 'pending' | 'sent' | 'delivered' | 'read' | 'failed' | 'received'

export interface NewMessage {
  readonly id: MessageId
  readonly conversationId: ConversationId
  readonly senderId: string
  readonly senderDeviceId?: DeviceId | null
  readonly direction: MessageDirection
  readonly body: string
  readonly sentAt: number
  readonly receivedAt: number
  readonly status: MessageStatus
  readonly replyToId?: MessageId | null
  readonly expiresAt?: number | null
}

export interface StoredMessage {
  readonly seq: number
  readonly id: MessageId
  readonly conversationId: ConversationId
  readonly senderId: string
  readonly senderDeviceId: DeviceId | null
  readonly direction: MessageDirection
  /** null once the message was deleted (the row stays as a tombstone). */
  readonly body: string | null
  readonly sentAt: number
  readonly receivedAt: number
  readonly status: MessageStatus
  readonly replyToId: MessageId | null
  readonly editedAt: number | null
  readonly deletedAt: number | null
  readonly expiresAt: number | null
}

export interface Reaction {
  readonly messageId: MessageId
  readonly reactorId: string
  readonly emoji: string
  readonly reactedAt: number
}

/** Where a page of older messages starts: the oldest message of the previous page. */
export interface MessagePageCursor {
  readonly sentAt: number
  readonly seq: number
}

export interface MessageRow {
  seq: number
  message_id: string
  conversation_id: string
  sender_id: string
  sender_device_id: string | null
  direction: string
  body: string | null
  sent_at: number
  received_at: number
  status: string
  reply_to_id: string | null
  edited_at: number | null
  deleted_at: number | null
  expires_at: number | null
}

/** Rows were written by this code through CHECK-constrained columns, so they are trusted. */
export function messageFromRow(row: MessageRow): StoredMessage {
  return {
    seq: row.seq,
    id: row.message_id as MessageId,
    conversationId: row.conversation_id as ConversationId,
    senderId: row.sender_id,
    senderDeviceId: row.sender_device_id as DeviceId | null,
    direction: row.direction as MessageDirection,
    body: row.body,
    sentAt: row.sent_at,
    receivedAt: row.received_at,
    status: row.status as MessageStatus,
    replyToId: row.reply_to_id as MessageId | null,
    editedAt: row.edited_at,
    deletedAt: row.deleted_at,
    expiresAt: row.expires_at
  }
}
