/**
 * Stable error codes a contract call can return. The renderer switches on
 * these; messages are for people and may change.
 */
export const API_ERROR_CODES = [
  /** The input did not match the method's schema. */
  'invalid-input',
  /** The transport frame itself was malformed (bad JSON, unknown method, oversized). */
  'bad-request',
  /** The caller is not the app's own main frame / origin, or lacks the host token. */
  'forbidden',
  /** The requested thing does not exist. */
  'not-found',
  /** The operation conflicts with stored state (e.g. a newer version exists). */
  'conflict',
  /** A stored file or record could not be read as expected. */
  'storage-error',
  /** The vault or keychain is locked or unavailable; the UI offers a recovery path. */
  'locked',
  /** The relay or network did not answer. */
  'unavailable',
  /** Anything unexpected. The details stay in the main process log. */
  'internal'
] as const

export type ApiErrorCode = (typeof API_ERROR_CODES)[number]

export function isApiErrorCode(value: unknown): value is ApiErrorCode {
  return typeof value === 'string' && (API_ERROR_CODES as readonly string[]).includes(value)
}
