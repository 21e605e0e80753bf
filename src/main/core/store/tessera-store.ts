import type { ConversationId, MessageId } from '../../../shared/ids'
import type { Sodium } from '../crypto/sodium'
import { AccountRepository } from './account-repository'
import { AttachmentStore } from './attachment-store'
import { ContactRepository } from './contact-repository'
import { ConversationRepository } from './conversation-repository'
import type { SqliteDatabase } from './encrypted-database'
import { openEncryptedDatabase, rekeyDatabase } from './encrypted-database'
import { MessageRepository } from './message-repository'
import type { RemovedMessages } from './message-repository'
import { migrateDatabase } from './migrate'
import type { OutgoingBatch } from './outgoing-batch'
import { storeOutgoingBatch } from './outgoing-batch'
import { OutboxRepository } from './outbox-repository'
import { PrekeyRepository } from './prekey-repository'
import type { ReceivedBatch, ReceivedBatchResult } from './received-batch'
import { storeReceivedBatch } from './received-batch'
import { RelayCursorRepository } from './relay-cursor-repository'
import { ReportRepository } from './report-repository'
import { SearchRepository } from './search-repository'
import { SessionRepository } from './session-repository'
import { SettingsRepository } from './settings-repository'
import type { StorePaths } from './store-paths'
import { storePaths } from './store-paths'

export interface OpenStoreOptions {
  readonly dataDir: string
  /** The 32-byte database key from the key vault; the caller wipes it after open. */
  readonly databaseKey: Uint8Array
  readonly sodium: Sodium
}

/**
 * One profile's local store: the encrypted database (one writer connection),
 * its repositories and the encrypted attachment files. Composed once by the
 * core and disposed with close().
 */
export class TesseraStore {
  readonly account: AccountRepository
  readonly sessions: SessionRepository
  readonly prekeys: PrekeyRepository
  readonly contacts: ContactRepository
  readonly conversations: ConversationRepository
  readonly messages: MessageRepository
  readonly attachments: AttachmentStore
  readonly outbox: OutboxRepository
  readonly cursors: RelayCursorRepository
  readonly settings: SettingsRepository
  readonly reports: ReportRepository
  readonly search: SearchRepository

  private constructor(
    readonly db: SqliteDatabase,
    readonly paths: StorePaths,
    sodium: Sodium
  ) {
    this.account = new AccountRepository(db)
    this.sessions = new SessionRepository(db)
    this.prekeys = new PrekeyRepository(db)
    this.contacts = new ContactRepository(db)
    this.conversations = new ConversationRepository(db)
    this.messages = new MessageRepository(db)
    this.attachments = new AttachmentStore(db, sodium, paths.attachments)
    this.outbox = new OutboxRepository(db)
    this.cursors = new RelayCursorRepository(db)
    this.settings = new SettingsRepository(db)
    this.reports = new ReportRepository(db)
    this.search = new SearchRepository(db)
  }

  /**
   * Opens (creating on first run) the profile's database, migrates it and
   * removes orphaned attachment files. Throws StoreError 'wrong-key' or
   * 'schema-too-new' without changing the file.
   */
  static async open(options: OpenStoreOptions): Promise<TesseraStore> {
    const paths = storePaths(options.dataDir)
    const db = openEncryptedDatabase(paths.database, options.databaseKey)
    try {
      migrateDatabase(db)
      const store = new TesseraStore(db, paths, options.sodium)
      await store.attachments.sweepOrphans()
      return store
    } catch (error) {
      db.close()
      throw error
    }
  }

  /** Messages, session states and the relay cursor of one inbound batch, in one transaction. */
  storeReceivedBatch(batch: ReceivedBatch, nowMs: number = Date.now()): ReceivedBatchResult {
    return storeReceivedBatch(this.db, this, batch, nowMs)
  }

  /** A sent message, its outbox envelopes and the ratchet states that sealed them, in one transaction. */
  storeOutgoingBatch(batch: OutgoingBatch, nowMs: number = Date.now()): void {
    storeOutgoingBatch(this.db, this, batch, nowMs)
  }

  /** Deletes a message for everyone (tombstone) and its attachment files. */
  async deleteMessage(id: MessageId, deletedAt: number): Promise<RemovedMessages> {
    const removed = this.messages.markDeleted(id, deletedAt)
    await this.attachments.removeFiles(removed.attachmentIds)
    return removed
  }

  /** Disappearing messages: removes everything expired by `now`, files included. */
  async removeExpired(now: number): Promise<RemovedMessages> {
    const removed = this.messages.removeExpired(now)
    await this.attachments.removeFiles(removed.attachmentIds)
    return removed
  }

  async deleteConversation(id: ConversationId): Promise<void> {
    const { attachmentIds } = this.conversations.delete(id)
    await this.attachments.removeFiles(attachmentIds)
  }

  /** Re-encrypts the database under a new key (see keys/database-key-rotation.ts for the full procedure). */
  rekey(newKey: Uint8Array): void {
    rekeyDatabase(this.db, newKey)
  }

  integrityCheck(): string {
    return this.db.pragma('integrity_check', { simple: true }) as string
  }

  /** Closes the connection (checkpointing the WAL); safe to call twice. */
  close(): void {
    if (this.db.open) this.db.close()
  }

  /** The composition root's name for close(). */
  dispose(): void {
    this.close()
  }
}
