/**
 * Expected store failures, as a code the caller can branch on. Messages never
 * contain key material or message content (they may reach logs and IPC).
 */
export type StoreErrorCode =
  | 'wrong-key' // the database key does not decrypt the file (SQLITE_NOTADB on first read)
  | 'schema-too-new' // the file was written by a newer Tessera: refuse, never downgrade
  | 'invalid-key' // a key of the wrong length or type was passed
  | 'invalid-input' // a value that cannot be stored (bad id, bad search query, ...)
  | 'not-found'
  | 'conflict' // a row with that id exists with different content
  | 'attachment-corrupt' // decryption or plaintext hash check failed
  | 'io' // the file system refused (permissions, disk full)

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown }
  ) {
    super(message, options)
    this.name = 'StoreError'
  }
}

export function isStoreError(error: unknown, code?: StoreErrorCode): error is StoreError {
  return error instanceof StoreError && (code === undefined || error.code === code)
}
