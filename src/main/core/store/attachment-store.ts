import { mkdirSync, chmodSync } from 'node:fs'
import { readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { AttachmentId, ConversationId, MessageId } from '../../../shared/ids'
import { asAttachmentId } from '../../../shared/ids'
import type { Sodium } from '../crypto/sodium'
import { decryptFile, decryptToFile, encryptToFile } from './attachment-cipher'
import type { SqliteDatabase } from './encrypted-database'
import { StoreError } from './store-error'

export interface AttachmentMeta {
  readonly id: AttachmentId
  readonly messageId: MessageId
  readonly conversationId: ConversationId
  readonly fileName: string
  readonly mimeType: string
  readonly plaintextSize: number
  readonly storedSize: number
  readonly plaintextSha256: Uint8Array
  readonly createdAt: number
}

export interface NewAttachment {
  readonly id: AttachmentId
  readonly messageId: MessageId
  readonly fileName: string
  readonly mimeType: string
  readonly createdAt: number
  /** The plaintext, in chunks of any size (e.g. fs.createReadStream(path)). */
  readonly source: AsyncIterable<Uint8Array>
}

interface AttachmentRow {
  attachment_id: string
  message_id: string
  conversation_id: string
  file_name: string
  mime_type: string
  plaintext_size: number
  stored_size: number
  file_key: Buffer
  plaintext_sha256: Buffer
  created_at: number
}

/**
 * Encrypted attachment files under `<dataDir>/attachments/<attachment id>`
 * and their rows. Each file has its own key (kept in the row, so inside the
 * encrypted database); deleting the row is followed by unlinking the file,
 * and a crash between the two is repaired by sweepOrphans() at start.
 */
export class AttachmentStore {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly sodium: Sodium,
    readonly directory: string
  ) {
    mkdirSync(directory, { recursive: true, mode: 0o700 })
    chmodSync(directory, 0o700)
  }

  /** Encrypts the source to disk, then records it for an existing message. */
  async add(input: NewAttachment): Promise<AttachmentMeta> {
    asAttachmentId(input.id)
    const conversationId = this.db.prepare('SELECT conversation_id FROM messages WHERE message_id = ?').pluck().get(input.messageId) as
      | string
      | undefined
    if (conversationId === undefined) throw new StoreError('not-found', `No message with id ${input.messageId}.`)
    // Checked before encrypting: the rename would otherwise replace the existing file of that id.
    if (this.row(input.id) !== undefined) throw new StoreError('conflict', `Attachment ${input.id} already exists.`)
    const key = this.sodium.crypto_secretstream_xchacha20poly1305_keygen()
    const path = this.pathOf(input.id)
    try {
      const info = await encryptToFile(this.sodium, key, input.source, path)
      try {
        this.db
          .prepare(`INSERT INTO attachments (attachment_id, message_id, conversation_id, file_name, mime_type, plaintext_size, stored_size,
                                             file_key, plaintext_sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
          .run(input.id, input.messageId, conversationId, input.fileName, input.mimeType, info.plaintextSize, info.storedSize, key, info.plaintextSha256, input.createdAt)
      } catch (error) {
        await rm(path, { force: true })
        throw error
      }
      return { ...info, id: input.id, messageId: input.messageId, conversationId: conversationId as ConversationId, fileName: input.fileName, mimeType: input.mimeType, createdAt: input.createdAt }
    } finally {
      this.sodium.memzero(key)
    }
  }

  get(id: AttachmentId): AttachmentMeta | undefined {
    const row = this.row(id)
    return row === undefined ? undefined : metaFromRow(row)
  }

  forMessage(messageId: MessageId): AttachmentMeta[] {
    return (this.db.prepare('SELECT * FROM attachments WHERE message_id = ? ORDER BY created_at, attachment_id').all(messageId) as AttachmentRow[]).map(metaFromRow)
  }

  /** Streams the plaintext; the final chunk is followed by the hash check (throws on mismatch). */
  async *read(id: AttachmentId): AsyncGenerator<Uint8Array> {
    const row = this.requireRow(id)
    const key = row.file_key
    try {
      yield* decryptFile(this.sodium, key, this.pathOf(id), row.plaintext_sha256)
    } finally {
      this.sodium.memzero(key)
    }
  }

  /** Writes the verified plaintext to `destination` (temp file + rename, only after the hash matched). */
  async exportTo(id: AttachmentId, destination: string): Promise<void> {
    const row = this.requireRow(id)
    const key = row.file_key
    try {
      await decryptToFile(this.sodium, key, this.pathOf(id), row.plaintext_sha256, destination)
    } finally {
      this.sodium.memzero(key)
    }
  }

  /** Bytes on disk per conversation (encrypted size), largest first. */
  usageByConversation(): { conversationId: ConversationId; bytes: number; files: number }[] {
    return (this.db
      .prepare(`SELECT conversation_id, sum(stored_size) AS bytes, count(*) AS files FROM attachments GROUP BY conversation_id ORDER BY bytes DESC`)
      .all() as { conversation_id: string; bytes: number; files: number }[]).map((row) => ({
      conversationId: row.conversation_id as ConversationId,
      bytes: row.bytes,
      files: row.files
    }))
  }

  /** Unlinks files whose rows are already gone (after a message or conversation delete). */
  async removeFiles(ids: readonly AttachmentId[]): Promise<void> {
    for (const id of ids) await rm(this.pathOf(id), { force: true })
  }

  /**
   * At start: deletes every file in the directory without a row (a crash
   * between row delete and unlink, or between encrypt and insert) and every
   * leftover temp file. Returns how many files went.
   */
  async sweepOrphans(): Promise<number> {
    const known = new Set(this.db.prepare('SELECT attachment_id FROM attachments').pluck().all() as string[])
    let removed = 0
    for (const name of await readdir(this.directory)) {
      if (known.has(name)) continue
      await rm(join(this.directory, name), { force: true, recursive: true })
      removed++
    }
    return removed
  }

  pathOf(id: AttachmentId): string {
    return join(this.directory, asAttachmentId(id))
  }

  private row(id: AttachmentId): AttachmentRow | undefined {
    return this.db.prepare('SELECT * FROM attachments WHERE attachment_id = ?').get(id) as AttachmentRow | undefined
  }

  private requireRow(id: AttachmentId): AttachmentRow {
    const row = this.row(id)
    if (row === undefined) throw new StoreError('not-found', `No attachment with id ${id}.`)
    return row
  }
}

function metaFromRow(row: AttachmentRow): AttachmentMeta {
  return {
    id: row.attachment_id as AttachmentId,
    messageId: row.message_id as MessageId,
    conversationId: row.conversation_id as ConversationId,
    fileName: row.file_name,
    mimeType: row.mime_type,
    plaintextSize: row.plaintext_size,
    storedSize: row.stored_size,
    plaintextSha256: new Uint8Array(row.plaintext_sha256),
    createdAt: row.created_at
  }
}
