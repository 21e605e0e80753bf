// Reconnect delays: exponential backoff with "equal jitter" (half the
// exponential step fixed, half random), from the AWS Architecture Blog's
// "Exponential Backoff And Jitter" (Brooker, 2015). Jitter spreads the
// reconnect storm when a relay restarts and thousands of clients notice at
// once; keeping half of the step fixed means no client retries in a tight
// loop. The attempt counter resets only after a connection has stayed up for
// `stableAfterMs`, so a relay that accepts and immediately drops connections
// does not reset everyone to the shortest delay (docs/sync.md, "Reconnect").

export interface BackoffPolicy {
  /** First delay's upper bound. */
  readonly baseMs: number
  /** No delay exceeds this. */
  readonly capMs: number
  /** A connection that lasted this long counts as stable and resets the attempt counter. */
  readonly stableAfterMs: number
}

export const DEFAULT_RECONNECT_POLICY: BackoffPolicy = { baseMs: 500, capMs: 30_000, stableAfterMs: 10_000 }

export class ReconnectBackoff {
  private attempt = 0
  private connectedAt: number | undefined

  /** `random` returns a float in [0, 1); injected so tests can pin the jitter. */
  constructor(
    private readonly policy: BackoffPolicy = DEFAULT_RECONNECT_POLICY,
    private readonly random: () => number = Math.random
  ) {
    if (!(policy.baseMs > 0) || !(policy.capMs >= policy.baseMs) || !(policy.stableAfterMs >= 0)) {
      throw new RangeError('backoff policy needs 0 < baseMs <= capMs and stableAfterMs >= 0')
    }
  }

  /** Number of consecutive failed attempts so far (0 after a stable connection). */
  get attempts(): number {
    return this.attempt
  }

  /** Counts one more failed attempt and returns how long to wait before the next one. */
  nextDelayMs(): number {
    this.attempt++
    // 2^(attempt-1) overflows to Infinity after ~1,000 attempts; Math.min keeps the cap.
    const step = Math.min(this.policy.capMs, this.policy.baseMs * 2 ** Math.min(this.attempt - 1, 60))
    return Math.round(step / 2 + this.random() * (step / 2))
  }

  markConnected(nowMs: number): void {
    this.connectedAt = nowMs
  }

  /** Call when a connection ends; resets the counter if it had been stable. */
  markDisconnected(nowMs: number): void {
    if (this.connectedAt !== undefined && nowMs - this.connectedAt >= this.policy.stableAfterMs) this.attempt = 0
    this.connectedAt = undefined
  }
}
