import type { ApiErrorCode } from '../../../shared/api/error-codes'

/**
 * An expected failure that may cross the contract: its code and message are
 * shown to the renderer as they are, so the message must never contain a
 * path, a key or message content. Anything else that is thrown becomes
 * 'internal' with a generic message (see dispatcher.ts).
 */
export class AppError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string
  ) {
    super(message)
    this.name = 'AppError'
  }
}
