import type { Migration } from './migration'

/**
 * Messages with delivery status, replies, edits (previous bodies kept in
 * message_edits), deletion (body set to NULL, row kept as a tombstone so a
 * late duplicate is still recognised) and expiry. `seq` is the rowid: the
 * FTS index refers to it and it breaks ties between equal timestamps.
 */
export const migration0004: Migration = {
  version: 4,
  name: 'messages',
  up: (db) => {
    db.exec(`
      CREATE TABLE messages (
        seq INTEGER PRIMARY KEY,
        message_id TEXT NOT NULL UNIQUE,
        conversation_id TEXT NOT NULL REFERENCES conversations (conversation_id) ON DELETE CASCADE,
        sender_id TEXT NOT NULL,
        sender_device_id TEXT,
        direction TEXT NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
        body TEXT,
        sent_at INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'delivered', 'read', 'failed', 'received')),
        reply_to_id TEXT,
        edited_at INTEGER,
        deleted_at INTEGER,
        expires_at INTEGER
      ) STRICT;
      CREATE INDEX messages_by_conversation ON messages (conversation_id, sent_at, seq);
      CREATE INDEX messages_by_expiry ON messages (expires_at) WHERE expires_at IS NOT NULL;

      CREATE TABLE message_reactions (
        message_id TEXT NOT NULL REFERENCES messages (message_id) ON DELETE CASCADE,
        reactor_id TEXT NOT NULL,
        emoji TEXT NOT NULL,
        reacted_at INTEGER NOT NULL,
        PRIMARY KEY (message_id, reactor_id)
      ) STRICT;

      CREATE TABLE message_edits (
        message_id TEXT NOT NULL REFERENCES messages (message_id) ON DELETE CASCADE,
        edit_seq INTEGER NOT NULL,
        previous_body TEXT NOT NULL,
        edited_at INTEGER NOT NULL,
        PRIMARY KEY (message_id, edit_seq)
      ) STRICT;
    `)
  }
}
