// Sends the durable outbox entries of one relay over whichever connection to
// that relay is online (docs/sync.md, "Outbox"). Entries are persisted before
// the first attempt and keep their 16-byte message id for every retry, so a
// crash at any point at worst re-sends an id the relay already has: the
// relay answers with a receipt flagged `duplicate` and stores nothing new.
// A dropped connection is not the message's fault: entries in flight then stay
// due (no attempt counted) and go out again on the next connection.
import { RelayError } from '../../../shared/relay/error-codes'
import type { RelayClient } from './relay-client'
import { verifyRelayReceipt } from './relay-client'
import { decideAfterFailure, DEFAULT_OUTBOX_POLICY, type OutboxRetryPolicy, type SendFailure } from './outbox-policy'
import type { SyncEvents } from './sync-events'
import type { OutboxEntry, OutboxStore } from './sync-store'

/** Sends in flight per relay; bounded so a large backlog cannot flood the socket. */
export const DEFAULT_SEND_WINDOW = 64

export interface OutboxPumpOptions {
  readonly relayUrl: string
  readonly store: OutboxStore
  readonly events: SyncEvents
  readonly policy?: OutboxRetryPolicy
  readonly window?: number
  readonly now?: () => number
  readonly random?: () => number
}

export class OutboxPump {
  private client: RelayClient | undefined
  private readonly inFlight = new Set<string>()
  private pumping = false
  private again = false
  private wakeTimer: NodeJS.Timeout | undefined
  private readonly window: number
  private readonly now: () => number

  constructor(private readonly options: OutboxPumpOptions) {
    this.window = options.window ?? DEFAULT_SEND_WINDOW
    this.now = options.now ?? Date.now
  }

  get isAttached(): boolean {
    return this.client !== undefined
  }

  attach(client: RelayClient): void {
    this.client = client
    this.kick()
  }

  detach(): void {
    this.client = undefined
    this.clearWake()
  }

  /** Sends whatever is due now; call after enqueueing or when a retry time passes. */
  kick(): void {
    if (this.client === undefined) return
    if (this.pumping) {
      this.again = true
      return
    }
    this.pumping = true
    try {
      do {
        this.again = false
        this.fill()
      } while (this.again)
    } finally {
      this.pumping = false
    }
  }

  private fill(): void {
    const client = this.client
    if (client === undefined) return
    const free = this.window - this.inFlight.size
    if (free <= 0) return
    const now = this.now()
    const due = this.options.store.listDue(this.options.relayUrl, now, free + this.inFlight.size)
    let started = 0
    for (const entry of due) {
      if (started >= free) break
      const key = idKey(entry.messageId)
      if (this.inFlight.has(key)) continue
      this.inFlight.add(key)
      started++
      void this.sendOne(client, entry, key)
    }
    if (started === 0 && this.inFlight.size === 0) this.scheduleWake()
  }

  private async sendOne(client: RelayClient, entry: OutboxEntry, key: string): Promise<void> {
    try {
      const receipt = await client.send(entry.mailboxId, entry.messageId, entry.deliveryToken, entry.envelope)
      if (!verifyRelayReceipt(client.hello.relayKey, entry.mailboxId, entry.envelope, receipt)) {
        // The relay answered but its signature does not hold: keep the entry, resend the same id later.
        this.recordFailure(entry, { code: 'BAD_RECEIPT', retryAfterMs: 0 })
      } else {
        this.options.store.markSent(entry.messageId, receipt)
        this.options.events.emit('outboxStatusChanged', { messageId: idKey(entry.messageId), status: 'sent', attempts: entry.attempts + 1 })
      }
    } catch (error) {
      const failure: SendFailure =
        error instanceof RelayError ? { code: error.code, retryAfterMs: error.retryAfterMs } : { code: 'INTERNAL', retryAfterMs: 0 }
      // Connection loss: not an attempt; the entry stays due and goes out on the next connection.
      if (failure.code !== 'CONNECTION_CLOSED') this.recordFailure(entry, failure)
    } finally {
      this.inFlight.delete(key)
      if (this.client === client) this.kick()
    }
  }

  private recordFailure(entry: OutboxEntry, failure: SendFailure): void {
    const decision = decideAfterFailure(entry, failure, this.now(), this.options.policy ?? DEFAULT_OUTBOX_POLICY, this.options.random)
    const messageId = idKey(entry.messageId)
    if (decision.action === 'fail') {
      this.options.store.markFailed(entry.messageId, decision.errorCode)
      this.options.events.emit('outboxStatusChanged', { messageId, status: 'failed', attempts: decision.attempts, errorCode: decision.errorCode })
    } else {
      this.options.store.markRetry(entry.messageId, decision.attempts, decision.nextAttemptAt, decision.errorCode)
      this.options.events.emit('outboxStatusChanged', { messageId, status: 'pending', attempts: decision.attempts })
    }
  }

  /** Nothing due now: wake up when this relay's earliest retry comes due. */
  private scheduleWake(): void {
    this.clearWake()
    const next = this.options.store.pendingRelays().find((relay) => relay.relayUrl === this.options.relayUrl)
    if (next === undefined) return
    // Timers cap at 2^31-1 ms; a far retry is re-evaluated at that point.
    const delay = Math.min(Math.max(next.nextAttemptAt - this.now(), 0) + 50, 2 ** 31 - 1)
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined
      this.kick()
    }, delay)
    this.wakeTimer.unref()
  }

  private clearWake(): void {
    if (this.wakeTimer !== undefined) clearTimeout(this.wakeTimer)
    this.wakeTimer = undefined
  }
}

/** Message ids as lowercase hex: a stable key for sets, events and logs (ids are not secret). */
export function idKey(messageId: Uint8Array): string {
  return Buffer.from(messageId.buffer, messageId.byteOffset, messageId.byteLength).toString('hex')
}
