import type { ApiErrorCode } from './error-codes'

/** What crosses a transport for a failed call: a stable code and a human sentence. Never a stack, path or secret. */
export interface ApiError {
  readonly code: ApiErrorCode
  readonly message: string
}

/** Every contract call resolves to a Result; transports never reject with an exception. */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError }

export const ok = <T>(value: T): Result<T> => ({ ok: true, value })

export const err = <T = never>(code: ApiErrorCode, message: string): Result<T> => ({
  ok: false,
  error: { code, message }
})
