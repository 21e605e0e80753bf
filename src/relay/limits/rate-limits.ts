import type { RelayConfig } from '../config'
import { KeyedBuckets } from './token-bucket'

/** All relay-wide keyed rate limits (docs/relay-protocol.md section 7), built from the config. */
export class RateLimits {
  readonly framesPerIp: KeyedBuckets
  readonly sendsPerMailbox: KeyedBuckets
  readonly firstContactPerMailbox: KeyedBuckets
  readonly firstContactPerIp: KeyedBuckets
  readonly prekeyFetchesPerIp: KeyedBuckets
  readonly prekeyFetchesPerMailbox: KeyedBuckets
  readonly mailboxCreatesPerIp: KeyedBuckets
  readonly rendezvousCreatesPerIp: KeyedBuckets

  constructor(config: RelayConfig) {
    const perMinute = (n: number): number => n / 60
    this.framesPerIp = new KeyedBuckets(config.ipFramesPerSecond, config.ipFramesBurst)
    this.sendsPerMailbox = new KeyedBuckets(config.mailboxSendsPerSecond, config.mailboxSendsBurst)
    this.firstContactPerMailbox = new KeyedBuckets(perMinute(config.firstContactPerMinute), config.firstContactBurst)
    this.firstContactPerIp = new KeyedBuckets(perMinute(config.firstContactPerIpPerMinute), config.firstContactPerIpPerMinute)
    this.prekeyFetchesPerIp = new KeyedBuckets(perMinute(config.prekeyFetchesPerIpPerMinute), config.prekeyFetchesPerIpPerMinute)
    this.prekeyFetchesPerMailbox = new KeyedBuckets(perMinute(config.prekeyFetchesPerMailboxPerMinute), config.prekeyFetchesPerMailboxPerMinute)
    this.mailboxCreatesPerIp = new KeyedBuckets(perMinute(config.mailboxCreatesPerIpPerMinute), 2 * config.mailboxCreatesPerIpPerMinute)
    this.rendezvousCreatesPerIp = new KeyedBuckets(perMinute(config.rendezvousCreatesPerIpPerMinute), config.rendezvousCreatesPerIpPerMinute)
  }

  /** Drops idle (full) buckets; called periodically. */
  sweep(now: number): void {
    for (const buckets of [
      this.framesPerIp,
      this.sendsPerMailbox,
      this.firstContactPerMailbox,
      this.firstContactPerIp,
      this.prekeyFetchesPerIp,
      this.prekeyFetchesPerMailbox,
      this.mailboxCreatesPerIp,
      this.rendezvousCreatesPerIp
    ]) {
      buckets.sweep(now)
    }
  }
}
