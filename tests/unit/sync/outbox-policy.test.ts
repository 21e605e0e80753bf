import { describe, expect, it } from 'vitest'
import { decideAfterFailure, isPermanentFailure } from '../../../src/main/core/sync/outbox-policy'

const policy = { baseMs: 1_000, capMs: 60_000, maxAgeMs: 86_400_000 }
const now = 1_000_000_000

describe('outbox retry policy', () => {
  it('retries transient failures with a growing, capped, jittered delay', () => {
    const delays = [0, 1, 2, 3, 10, 30].map((attempts) => {
      const decision = decideAfterFailure({ attempts, createdAt: now }, { code: 'TIMEOUT', retryAfterMs: 0 }, now, policy, () => 0.999999)
      if (decision.action !== 'retry') throw new Error('expected a retry')
      expect(decision.attempts).toBe(attempts + 1)
      return decision.nextAttemptAt - now
    })
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 60_000, 60_000])
  })

  it('never retries sooner than the relay asked (RATE_LIMITED retryAfterMs)', () => {
    const decision = decideAfterFailure({ attempts: 0, createdAt: now }, { code: 'RATE_LIMITED', retryAfterMs: 45_000 }, now, policy, () => 0)
    expect(decision).toMatchObject({ action: 'retry', nextAttemptAt: now + 45_000, errorCode: 'RATE_LIMITED' })
  })

  it('fails at once on refusals that resending cannot fix', () => {
    for (const code of ['MAILBOX_NOT_FOUND', 'DELIVERY_TOKEN_INVALID', 'ENVELOPE_TOO_LARGE', 'ENVELOPE_NOT_PADDED', 'MALFORMED_FRAME']) {
      expect(isPermanentFailure(code)).toBe(true)
      expect(decideAfterFailure({ attempts: 0, createdAt: now }, { code, retryAfterMs: 0 }, now, policy)).toEqual({ action: 'fail', attempts: 1, errorCode: code })
    }
    for (const code of ['RATE_LIMITED', 'MAILBOX_FULL', 'SHUTTING_DOWN', 'INTERNAL', 'TIMEOUT', 'BAD_RECEIPT']) expect(isPermanentFailure(code)).toBe(false)
  })

  it('fails an entry as EXPIRED once it is older than maxAgeMs', () => {
    const decision = decideAfterFailure({ attempts: 40, createdAt: now - policy.maxAgeMs }, { code: 'TIMEOUT', retryAfterMs: 0 }, now, policy)
    expect(decision).toEqual({ action: 'fail', attempts: 41, errorCode: 'EXPIRED' })
  })
})
