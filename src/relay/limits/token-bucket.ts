/**
 * A token bucket: `capacity` tokens, refilled continuously at `ratePerSecond`.
 * `take` returns 0 when allowed, else the milliseconds until enough tokens exist.
 */
export class TokenBucket {
  private tokens: number
  private updatedAt: number

  constructor(
    private readonly ratePerSecond: number,
    private readonly capacity: number,
    now: number
  ) {
    this.tokens = capacity
    this.updatedAt = now
  }

  take(now: number, cost = 1): number {
    const elapsed = now - this.updatedAt
    if (elapsed > 0) {
      this.tokens = Math.min(this.capacity, this.tokens + (elapsed * this.ratePerSecond) / 1000)
      this.updatedAt = now
    }
    if (this.tokens >= cost) {
      this.tokens -= cost
      return 0
    }
    if (this.ratePerSecond <= 0) return 60_000
    return Math.ceil(((cost - this.tokens) * 1000) / this.ratePerSecond)
  }

  /** True when the bucket is full again, i.e. it carries no state worth keeping. */
  isFull(now: number): boolean {
    return this.tokens + ((now - this.updatedAt) * this.ratePerSecond) / 1000 >= this.capacity
  }
}

/**
 * Buckets keyed by IP or mailbox. Full buckets are dropped by `sweep`, so the
 * map holds only keys that were active recently (bounded memory under churn).
 */
export class KeyedBuckets {
  /** Keyed by IP address, or by mailbox handle (a number: no string is built per send). */
  private readonly buckets = new Map<string | number, TokenBucket>()

  constructor(
    private readonly ratePerSecond: number,
    private readonly capacity: number
  ) {}

  take(key: string | number, now: number, cost = 1): number {
    let bucket = this.buckets.get(key)
    if (!bucket) this.buckets.set(key, (bucket = new TokenBucket(this.ratePerSecond, this.capacity, now)))
    return bucket.take(now, cost)
  }

  sweep(now: number): void {
    for (const [key, bucket] of this.buckets) if (bucket.isFull(now)) this.buckets.delete(key)
  }

  get size(): number {
    return this.buckets.size
  }
}
