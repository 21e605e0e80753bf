import type { Migration } from './migration'

/**
 * This install's account and device, and every known device of any account
 * (our own other devices and contacts' devices) with its certificate.
 * Private key material is an opaque versioned blob produced by the crypto
 * layer; it is only ever stored inside the encrypted file.
 */
export const migration0001: Migration = {
  version: 1,
  name: 'account-devices',
  up: (db) => {
    db.exec(`
      CREATE TABLE account (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        account_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        display_name TEXT NOT NULL DEFAULT '',
        identity_format INTEGER NOT NULL,
        identity_secret BLOB NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE devices (
        account_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        identity_public_key BLOB NOT NULL,
        signing_public_key BLOB NOT NULL,
        certificate BLOB NOT NULL,
        added_at INTEGER NOT NULL,
        revoked_at INTEGER,
        PRIMARY KEY (account_id, device_id)
      ) STRICT;

      -- The newest signed device list per account; a lower version is a rollback.
      CREATE TABLE device_lists (
        account_id TEXT PRIMARY KEY,
        version INTEGER NOT NULL CHECK (version >= 0),
        signed_list BLOB NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `)
  }
}
