import type Database from 'better-sqlite3'

/**
 * Numbered, append-only migrations of relay.db (PRAGMA user_version). A
 * database newer than this code is refused rather than misread.
 */
const MIGRATIONS: readonly string[] = [
  // 1: mailboxes, messages (with dedupe ids), prekeys, device lists, blobs.
  `
  CREATE TABLE mailboxes (
    id INTEGER PRIMARY KEY,
    mailbox_id BLOB NOT NULL UNIQUE,
    owner_key BLOB NOT NULL,
    token_hash BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    last_seq INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE messages (
    mbox INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    message_id BLOB NOT NULL,
    kind INTEGER NOT NULL,            -- 0 envelope, 1 dropped marker
    first_contact INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    envelope_hash BLOB,
    envelope BLOB,                    -- NULL once acknowledged
    dropped_count INTEGER NOT NULL DEFAULT 0,
    acked_at INTEGER,                 -- NULL while pending
    PRIMARY KEY (mbox, seq)
  );
  CREATE UNIQUE INDEX messages_by_message_id ON messages (mbox, message_id);
  CREATE INDEX messages_by_received_at ON messages (received_at);
  CREATE INDEX messages_by_acked_at ON messages (acked_at) WHERE acked_at IS NOT NULL;
  CREATE TABLE prekey_bundles (mbox INTEGER PRIMARY KEY, bundle BLOB NOT NULL);
  CREATE TABLE one_time_prekeys (id INTEGER PRIMARY KEY, mbox INTEGER NOT NULL, pool INTEGER NOT NULL, prekey BLOB NOT NULL);
  CREATE INDEX one_time_prekeys_by_pool ON one_time_prekeys (mbox, pool, id);
  CREATE TABLE device_lists (mbox INTEGER PRIMARY KEY, version INTEGER NOT NULL, list BLOB NOT NULL, signature BLOB NOT NULL);
  CREATE TABLE blobs (
    hash BLOB PRIMARY KEY,
    total_size INTEGER NOT NULL,
    received INTEGER NOT NULL,
    complete INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX blobs_by_expiry ON blobs (expires_at);
  `,
  // 2: a cumulative ack moves a persisted per-mailbox floor instead of rewriting
  //    every acknowledged row (rows <= the floor count as acknowledged).
  `
  ALTER TABLE mailboxes ADD COLUMN acked_floor INTEGER NOT NULL DEFAULT 0;
  `,
  // 3: expiry walks messages in rowid order (rowids grow with arrival, so with
  //    received_at) instead of through indexes: two b-trees less per insert or
  //    selective ack (decisions/0047).
  `
  DROP INDEX messages_by_received_at;
  DROP INDEX messages_by_acked_at;
  `,
  // 4: messages keyed by arrival (id) with no (mailbox, seq) index, and the dedupe
  //    index ordered by message id first (decisions/0048). Both indexes it
  //    replaces were clustered by mailbox, so every group commit rewrote about
  //    one page of each per active mailbox. The store keeps each mailbox's
  //    pending seq -> id queue in memory instead (pending-queue.ts), and clients
  //    make ids that start with their creation time (docs/relay-protocol.md 4.5),
  //    so new dedupe entries land at the index's right edge. Uniqueness is
  //    unchanged: one row per (mailbox, message id); seqs stay unique per mailbox
  //    because only the store assigns them.
  `
  CREATE TABLE messages_by_arrival (
    id INTEGER PRIMARY KEY,
    mbox INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    message_id BLOB NOT NULL,
    kind INTEGER NOT NULL,            -- 0 envelope, 1 dropped marker
    first_contact INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    envelope_hash BLOB,
    envelope BLOB,                    -- NULL once acknowledged selectively
    dropped_count INTEGER NOT NULL DEFAULT 0,
    acked_at INTEGER                  -- NULL while pending (or acknowledged by the floor)
  );
  INSERT INTO messages_by_arrival (id, mbox, seq, message_id, kind, first_contact, received_at, envelope_hash, envelope, dropped_count, acked_at)
    SELECT rowid, mbox, seq, message_id, kind, first_contact, received_at, envelope_hash, envelope, dropped_count, acked_at FROM messages ORDER BY rowid;
  DROP TABLE messages;
  ALTER TABLE messages_by_arrival RENAME TO messages;
  CREATE UNIQUE INDEX messages_by_id_then_mailbox ON messages (message_id, mbox);
  `
]

export class SchemaTooNewError extends Error {
  override name = 'SchemaTooNewError'
}

/** Migrates to the newest schema (`upTo` exists so tests can build an older one). */
export function migrate(db: Database.Database, upTo: number = MIGRATIONS.length): void {
  const current = db.pragma('user_version', { simple: true }) as number
  if (current > MIGRATIONS.length) {
    throw new SchemaTooNewError(`relay.db has schema ${current}, this relay knows up to ${MIGRATIONS.length}`)
  }
  for (let version = current; version < upTo; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] as string)
      db.pragma(`user_version = ${version + 1}`)
    })()
  }
}
