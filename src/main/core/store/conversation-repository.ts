import type { AttachmentId, ConversationId } from '../../../shared/ids'
import { asConversationId } from '../../../shared/ids'
import type { SqliteDatabase } from './encrypted-database'
import { StoreError } from './store-error'

export type ConversationKind = 'direct' | 'group'
export type MemberRole = 'admin' | 'member'

export interface Conversation {
  readonly id: ConversationId
  readonly kind: ConversationKind
  readonly title: string
  readonly createdAt: number
  readonly lastMessageAt: number | null
  readonly expireTimerSeconds: number | null
  readonly mutedUntil: number | null
  readonly archived: boolean
}

export interface NewConversation {
  readonly id: ConversationId
  readonly kind: ConversationKind
  readonly title?: string
  readonly createdAt: number
  readonly members: readonly { memberId: string; role?: MemberRole }[]
}

export interface Member {
  readonly memberId: string
  readonly role: MemberRole
  readonly joinedAt: number
}

interface ConversationRow {
  conversation_id: string
  kind: string
  title: string
  created_at: number
  last_message_at: number | null
  expire_timer_seconds: number | null
  muted_until: number | null
  archived: number
}

function fromRow(row: ConversationRow): Conversation {
  return {
    id: row.conversation_id as ConversationId,
    kind: row.kind as ConversationKind,
    title: row.title,
    createdAt: row.created_at,
    lastMessageAt: row.last_message_at,
    expireTimerSeconds: row.expire_timer_seconds,
    mutedUntil: row.muted_until,
    archived: row.archived === 1
  }
}

/** Conversations and their members. */
export class ConversationRepository {
  constructor(private readonly db: SqliteDatabase) {}

  /** Creates a conversation with its members in one transaction; creating an existing id is a no-op. */
  create(conversation: NewConversation): 'created' | 'exists' {
    asConversationId(conversation.id)
    return this.db.transaction(() => {
      const changes = this.db
        .prepare(`INSERT INTO conversations (conversation_id, kind, title, created_at) VALUES (?, ?, ?, ?)
                  ON CONFLICT (conversation_id) DO NOTHING`)
        .run(conversation.id, conversation.kind, conversation.title ?? '', conversation.createdAt).changes
      if (changes === 0) return 'exists' as const
      for (const member of conversation.members) this.addMember(conversation.id, member.memberId, member.role ?? 'member', conversation.createdAt)
      return 'created' as const
    }).immediate()
  }

  get(id: ConversationId): Conversation | undefined {
    const row = this.db.prepare('SELECT * FROM conversations WHERE conversation_id = ?').get(id) as ConversationRow | undefined
    return row === undefined ? undefined : fromRow(row)
  }

  /** Conversations by most recent activity, for the conversation list. */
  list(options: { includeArchived?: boolean; limit?: number; offset?: number } = {}): Conversation[] {
    const rows = this.db
      .prepare(`SELECT * FROM conversations WHERE (? OR archived = 0)
                ORDER BY coalesce(last_message_at, created_at) DESC LIMIT ? OFFSET ?`)
      .all(options.includeArchived === true ? 1 : 0, options.limit ?? 1000, options.offset ?? 0) as ConversationRow[]
    return rows.map(fromRow)
  }

  addMember(id: ConversationId, memberId: string, role: MemberRole, joinedAt: number): void {
    this.db
      .prepare(`INSERT INTO conversation_members (conversation_id, member_id, role, joined_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (conversation_id, member_id) DO UPDATE SET role = excluded.role`)
      .run(id, memberId, role, joinedAt)
  }

  removeMember(id: ConversationId, memberId: string): boolean {
    return this.db.prepare('DELETE FROM conversation_members WHERE conversation_id = ? AND member_id = ?').run(id, memberId).changes > 0
  }

  members(id: ConversationId): Member[] {
    return (this.db
      .prepare('SELECT member_id, role, joined_at FROM conversation_members WHERE conversation_id = ? ORDER BY joined_at, member_id')
      .all(id) as { member_id: string; role: string; joined_at: number }[]).map((row) => ({
      memberId: row.member_id,
      role: row.role as MemberRole,
      joinedAt: row.joined_at
    }))
  }

  update(id: ConversationId, change: { title?: string; expireTimerSeconds?: number | null; mutedUntil?: number | null; archived?: boolean }): void {
    const current = this.get(id)
    if (current === undefined) throw new StoreError('not-found', `No conversation with id ${id}.`)
    if (change.expireTimerSeconds != null && !(Number.isInteger(change.expireTimerSeconds) && change.expireTimerSeconds > 0)) {
      throw new StoreError('invalid-input', 'An expiry timer is a positive whole number of seconds.')
    }
    this.db
      .prepare(`UPDATE conversations SET title = ?, expire_timer_seconds = ?, muted_until = ?, archived = ? WHERE conversation_id = ?`)
      .run(
        change.title ?? current.title,
        change.expireTimerSeconds === undefined ? current.expireTimerSeconds : change.expireTimerSeconds,
        change.mutedUntil === undefined ? current.mutedUntil : change.mutedUntil,
        (change.archived ?? current.archived) ? 1 : 0,
        id
      )
  }

  /** Deletes a conversation and (by cascade) its messages; returns the attachment files to unlink. */
  delete(id: ConversationId): { attachmentIds: AttachmentId[] } {
    return this.db.transaction(() => {
      const attachmentIds = this.db.prepare('SELECT attachment_id FROM attachments WHERE conversation_id = ?').pluck().all(id) as AttachmentId[]
      this.db.prepare('DELETE FROM attachments WHERE conversation_id = ?').run(id)
      this.db.prepare('DELETE FROM conversations WHERE conversation_id = ?').run(id)
      return { attachmentIds }
    }).immediate()
  }
}
