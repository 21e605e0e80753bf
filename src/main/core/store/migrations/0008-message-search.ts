import type { Migration } from './migration'

/**
 * Full-text index over message bodies (SQLite FTS5, external content =
 * messages, rowid = messages.seq). Triggers keep it in step with inserts,
 * edits and deletes; an external-content 'delete' must be given the exact old
 * body, which the triggers pass from OLD (sqlite.org/fts5.html section 4.4.3).
 * The index lives in the same encrypted file as everything else.
 */
export const migration0008: Migration = {
  version: 8,
  name: 'message-search',
  up: (db) => {
    db.exec(`
      CREATE VIRTUAL TABLE messages_fts USING fts5(
        body,
        content = 'messages',
        content_rowid = 'seq',
        tokenize = 'unicode61 remove_diacritics 2'
      );

      CREATE TRIGGER messages_fts_after_insert AFTER INSERT ON messages
      WHEN new.body IS NOT NULL BEGIN
        INSERT INTO messages_fts (rowid, body) VALUES (new.seq, new.body);
      END;

      CREATE TRIGGER messages_fts_after_delete AFTER DELETE ON messages
      WHEN old.body IS NOT NULL BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.seq, old.body);
      END;

      CREATE TRIGGER messages_fts_after_update AFTER UPDATE OF body ON messages BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, body)
          SELECT 'delete', old.seq, old.body WHERE old.body IS NOT NULL;
        INSERT INTO messages_fts (rowid, body)
          SELECT new.seq, new.body WHERE new.body IS NOT NULL;
      END;

      INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
    `)
  }
}
