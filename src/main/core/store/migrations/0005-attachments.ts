import type { Migration } from './migration'

/**
 * Attachment metadata. The file itself lives encrypted under attachments/
 * (crypto_secretstream, its own key); the key and the plaintext hash are
 * here, inside the encrypted database, never beside the file.
 */
export const migration0005: Migration = {
  version: 5,
  name: 'attachments',
  up: (db) => {
    db.exec(`
      CREATE TABLE attachments (
        attachment_id TEXT PRIMARY KEY,
        message_id TEXT NOT NULL REFERENCES messages (message_id) ON DELETE CASCADE,
        conversation_id TEXT NOT NULL,
        file_name TEXT NOT NULL,
        mime_type TEXT NOT NULL,
        plaintext_size INTEGER NOT NULL CHECK (plaintext_size >= 0),
        stored_size INTEGER NOT NULL CHECK (stored_size >= 0),
        file_key BLOB NOT NULL,
        plaintext_sha256 BLOB NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX attachments_by_message ON attachments (message_id);
      CREATE INDEX attachments_by_conversation ON attachments (conversation_id);
    `)
  }
}
