import { join } from 'node:path'

/**
 * Where a profile's files live inside its data directory (0700):
 *   tessera.db (+ -wal, -shm)   the SQLCipher database, 0600
 *   attachments/<id>            secretstream-encrypted files, 0600
 *   recovery-key.wrapped        the database key sealed under Argon2id(recovery key)
 *   app-lock.wrapped            the database key sealed under Argon2id(passphrase), only with app lock
 */
export interface StorePaths {
  readonly dataDir: string
  readonly database: string
  readonly attachments: string
  readonly recoveryWrappedKey: string
  readonly appLockWrappedKey: string
}

export function storePaths(dataDir: string): StorePaths {
  return {
    dataDir,
    database: join(dataDir, 'tessera.db'),
    attachments: join(dataDir, 'attachments'),
    recoveryWrappedKey: join(dataDir, 'recovery-key.wrapped'),
    appLockWrappedKey: join(dataDir, 'app-lock.wrapped')
  }
}
