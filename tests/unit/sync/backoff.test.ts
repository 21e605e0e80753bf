import { describe, expect, it } from 'vitest'
import { ReconnectBackoff } from '../../../src/main/core/sync/backoff'

const policy = { baseMs: 100, capMs: 1_600, stableAfterMs: 1_000 }

describe('ReconnectBackoff (equal jitter, capped, reset after a stable connection)', () => {
  it('doubles the step per attempt and keeps each delay within [step/2, step]', () => {
    const low = new ReconnectBackoff(policy, () => 0)
    const high = new ReconnectBackoff(policy, () => 0.999999)
    const steps = [100, 200, 400, 800, 1_600, 1_600, 1_600]
    for (const step of steps) {
      expect(low.nextDelayMs()).toBe(step / 2)
      expect(high.nextDelayMs()).toBe(step)
    }
    expect(low.attempts).toBe(steps.length)
  })

  it('never exceeds the cap even after thousands of attempts', () => {
    const backoff = new ReconnectBackoff(policy, () => 0.999999)
    let largest = 0
    for (let i = 0; i < 5_000; i++) largest = Math.max(largest, backoff.nextDelayMs())
    expect(largest).toBe(1_600)
  })

  it('spreads clients: different random draws give different delays for the same attempt', () => {
    const delays = new Set<number>()
    for (let i = 0; i < 50; i++) {
      const backoff = new ReconnectBackoff(policy)
      backoff.nextDelayMs()
      backoff.nextDelayMs()
      delays.add(backoff.nextDelayMs())
    }
    expect(delays.size).toBeGreaterThan(10)
    for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(200)
  })

  it('resets the attempt counter only after a connection stayed up for stableAfterMs', () => {
    const backoff = new ReconnectBackoff(policy, () => 0)
    backoff.nextDelayMs()
    backoff.nextDelayMs()
    backoff.markConnected(10_000)
    backoff.markDisconnected(10_500) // accepted and dropped: a flapping relay
    expect(backoff.attempts).toBe(2)
    expect(backoff.nextDelayMs()).toBe(200)
    backoff.markConnected(20_000)
    backoff.markDisconnected(21_000)
    expect(backoff.attempts).toBe(0)
    expect(backoff.nextDelayMs()).toBe(50)
  })

  it('rejects a nonsensical policy', () => {
    expect(() => new ReconnectBackoff({ baseMs: 0, capMs: 10, stableAfterMs: 0 })).toThrow(RangeError)
    expect(() => new ReconnectBackoff({ baseMs: 100, capMs: 10, stableAfterMs: 0 })).toThrow(RangeError)
  })
})
