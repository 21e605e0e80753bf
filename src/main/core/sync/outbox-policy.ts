// What to do with an outbox entry after a failed send (docs/sync.md,
// "Outbox"). Transient failures retry with jittered exponential backoff, never
// sooner than the relay's retryAfterMs; permanent refusals fail the entry at
// once; an entry older than maxAgeMs fails as EXPIRED so the user learns the
// message did not go out instead of it retrying forever.
import type { RelayErrorName } from '../../../shared/relay/error-codes'

export interface OutboxRetryPolicy {
  readonly baseMs: number
  readonly capMs: number
  /** An entry still unsent this long after enqueue fails with EXPIRED. */
  readonly maxAgeMs: number
}

export const DEFAULT_OUTBOX_POLICY: OutboxRetryPolicy = { baseMs: 1_000, capMs: 5 * 60_000, maxAgeMs: 7 * 24 * 3_600_000 }

/** Refusals that resending the same bytes can never fix. */
const PERMANENT: ReadonlySet<RelayErrorName> = new Set<RelayErrorName>([
  'MALFORMED_FRAME',
  'UNSUPPORTED_VERSION',
  'UNKNOWN_FRAME_TYPE',
  'FRAME_TOO_LARGE',
  'MAILBOX_NOT_FOUND',
  'DELIVERY_TOKEN_INVALID',
  'ENVELOPE_TOO_LARGE',
  'ENVELOPE_NOT_PADDED'
])

export type RetryDecision =
  | { readonly action: 'retry'; readonly attempts: number; readonly nextAttemptAt: number; readonly errorCode: string }
  | { readonly action: 'fail'; readonly attempts: number; readonly errorCode: string }

export interface SendFailure {
  /** A relay error name, or a local code such as CONNECTION_CLOSED / TIMEOUT. */
  readonly code: string
  readonly retryAfterMs: number
}

export function decideAfterFailure(
  entry: { readonly attempts: number; readonly createdAt: number },
  failure: SendFailure,
  nowMs: number,
  policy: OutboxRetryPolicy = DEFAULT_OUTBOX_POLICY,
  random: () => number = Math.random
): RetryDecision {
  const attempts = entry.attempts + 1
  if (PERMANENT.has(failure.code as RelayErrorName)) return { action: 'fail', attempts, errorCode: failure.code }
  if (nowMs - entry.createdAt >= policy.maxAgeMs) return { action: 'fail', attempts, errorCode: 'EXPIRED' }
  const step = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempts - 1, 40))
  const jittered = Math.round(step / 2 + random() * (step / 2))
  return { action: 'retry', attempts, nextAttemptAt: nowMs + Math.max(jittered, failure.retryAfterMs), errorCode: failure.code }
}

export function isPermanentFailure(code: string): boolean {
  return PERMANENT.has(code as RelayErrorName)
}
