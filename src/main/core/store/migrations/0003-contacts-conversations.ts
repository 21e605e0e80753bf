import type { Migration } from './migration'

/** Contacts with their verification state, conversations and members. */
export const migration0003: Migration = {
  version: 3,
  name: 'contacts-conversations',
  up: (db) => {
    db.exec(`
      CREATE TABLE contacts (
        contact_id TEXT PRIMARY KEY,
        display_name TEXT NOT NULL,
        identity_public_key BLOB NOT NULL,
        verification TEXT NOT NULL DEFAULT 'unverified'
          CHECK (verification IN ('unverified', 'verified', 'changed')),
        verified_at INTEGER,
        blocked INTEGER NOT NULL DEFAULT 0 CHECK (blocked IN (0, 1)),
        message_request INTEGER NOT NULL DEFAULT 0 CHECK (message_request IN (0, 1)),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE conversations (
        conversation_id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('direct', 'group')),
        title TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        last_message_at INTEGER,
        expire_timer_seconds INTEGER CHECK (expire_timer_seconds IS NULL OR expire_timer_seconds > 0),
        muted_until INTEGER,
        archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1))
      ) STRICT;
      CREATE INDEX conversations_by_activity ON conversations (last_message_at DESC);

      CREATE TABLE conversation_members (
        conversation_id TEXT NOT NULL REFERENCES conversations (conversation_id) ON DELETE CASCADE,
        member_id TEXT NOT NULL,
        role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('admin', 'member')),
        joined_at INTEGER NOT NULL,
        PRIMARY KEY (conversation_id, member_id)
      ) STRICT;
    `)
  }
}
