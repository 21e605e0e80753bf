import type { Migration } from './migration'

/** Account-scoped settings (JSON values) and abuse reports with their franking evidence. */
export const migration0007: Migration = {
  version: 7,
  name: 'settings-reports',
  up: (db) => {
    db.exec(`
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value_json TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE reports (
        report_id TEXT PRIMARY KEY,
        message_id TEXT,
        conversation_id TEXT,
        reason TEXT NOT NULL,
        evidence BLOB,
        status TEXT NOT NULL CHECK (status IN ('draft', 'sent', 'failed')),
        created_at INTEGER NOT NULL,
        sent_at INTEGER
      ) STRICT;
    `)
  }
}
