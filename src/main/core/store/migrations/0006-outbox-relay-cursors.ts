import type { Migration } from './migration'

/**
 * What the sync engine needs to survive restarts (docs/sync.md, "Outbox").
 * - outbox: each sealed envelope is persisted before its first send attempt
 *   with a 16-byte idempotency id the relay deduplicates on; retries reuse the
 *   same bytes. A sent entry keeps the relay's signed receipt (evidence for
 *   reports); a failed one keeps the error code for the UI.
 * - relay_cursors: the highest mailbox sequence number committed per relay
 *   mailbox, written in the same transaction as the messages it covers.
 */
export const migration0006: Migration = {
  version: 6,
  name: 'outbox-relay-cursors',
  up: (db) => {
    db.exec(`
      CREATE TABLE outbox (
        envelope_id BLOB PRIMARY KEY CHECK (length(envelope_id) = 16),
        chat_message_id TEXT,
        relay_url TEXT NOT NULL,
        mailbox_id BLOB NOT NULL,
        delivery_token BLOB NOT NULL,
        envelope BLOB NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at INTEGER NOT NULL,
        last_error TEXT,
        receipt_envelope_hash BLOB,
        receipt_received_at INTEGER,
        receipt_signature BLOB,
        receipt_duplicate INTEGER,
        created_at INTEGER NOT NULL,
        settled_at INTEGER
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX outbox_due ON outbox (relay_url, next_attempt_at) WHERE state = 'pending';
      CREATE INDEX outbox_by_chat_message ON outbox (chat_message_id) WHERE chat_message_id IS NOT NULL;

      CREATE TABLE relay_cursors (
        relay_url TEXT NOT NULL,
        mailbox_id BLOB NOT NULL,
        last_seq INTEGER NOT NULL CHECK (last_seq >= 0),
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (relay_url, mailbox_id)
      ) STRICT;
    `)
  }
}
