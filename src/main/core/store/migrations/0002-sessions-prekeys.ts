import type { Migration } from './migration'

/**
 * Ratchet sessions (one record per peer device, holding the current and
 * archived sessions as the crypto layer serialises them), group sender-key
 * states, and our own prekeys. All states are opaque blobs tagged with a
 * format version so the crypto layer can migrate its own encodings.
 */
export const migration0002: Migration = {
  version: 2,
  name: 'sessions-prekeys',
  up: (db) => {
    db.exec(`
      CREATE TABLE sessions (
        peer_account_id TEXT NOT NULL,
        peer_device_id TEXT NOT NULL,
        format_version INTEGER NOT NULL,
        state BLOB NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (peer_account_id, peer_device_id)
      ) STRICT;

      CREATE TABLE sender_keys (
        conversation_id TEXT NOT NULL,
        sender_account_id TEXT NOT NULL,
        sender_device_id TEXT NOT NULL,
        format_version INTEGER NOT NULL,
        state BLOB NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (conversation_id, sender_account_id, sender_device_id)
      ) STRICT;

      CREATE TABLE prekeys (
        kind TEXT NOT NULL CHECK (kind IN ('signed-x25519', 'one-time-x25519', 'signed-kem', 'one-time-kem', 'last-resort-kem')),
        key_id INTEGER NOT NULL CHECK (key_id >= 0),
        format_version INTEGER NOT NULL,
        key_pair BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        used_at INTEGER,
        PRIMARY KEY (kind, key_id)
      ) STRICT;
    `)
  }
}
