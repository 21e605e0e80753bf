// Sends the durable outbox entries of one relay over whichever connection to
// that relay is online (docs/sync.md, "Outbox"). Entries are persisted before
// the first attempt and keep their 16-byte message id for every retry, so a
// crash at any point at worst re-sends an id the relay already has: the
// relay answers with a receipt flagged `duplicate` and stores nothing new.
// A dropped connection is not the message's fault: entries in flight then stay
// due (no attempt counted) and go out again on the next connection.
//
// Throughput: due entries are read a page at a time (not one query per send),
// and the outcomes that arrive in one event-loop turn are written in one
// transaction (not one fsync per receipt).
import { RelayError } from '../../../shared/relay/error-codes'
import type { RelayClient } from './relay-client'
import { ReceiptVerifier } from './receipt-verifier'
import { decideAfterFailure, DEFAULT_OUTBOX_POLICY, type OutboxRetryPolicy, type SendFailure } from './outbox-policy'
import type { OutboxStatusChanged, SyncEvents } from './sync-events'
import type { OutboxEntry, OutboxStore, RelayReceipt } from './sync-store'

/** Sends in flight per relay; bounded so a large backlog cannot flood the socket. */
export const DEFAULT_SEND_WINDOW = 64
/** Due entries read per query: the outbox query sorts every pending row of the relay, so read many at once (~1 MB of 1 KB envelopes). */
const PAGE_SIZE = 1_024
/** Pause after the store refused to record outcomes. */
const STORE_FAILURE_PAUSE_MS = 1_000
/**
 * The relay pauses a connection that exceeded its frame bucket for at least
 * 250 ms and drops, unanswered, the frames it reads meanwhile
 * (relay-protocol section 7): after any RATE_LIMITED the pump sends nothing on
 * this relay until retryAfterMs (at least this long) has passed.
 */
const MIN_RATE_LIMIT_PAUSE_MS = 250

export interface OutboxPumpOptions {
  readonly relayUrl: string
  readonly store: OutboxStore
  readonly events: SyncEvents
  readonly policy?: OutboxRetryPolicy
  readonly window?: number
  readonly now?: () => number
  readonly random?: () => number
  /** Shared across pumps so a relay's signed roots are verified once. */
  readonly receipts?: ReceiptVerifier
}

type Outcome = { entry: OutboxEntry; receipt: RelayReceipt } | { entry: OutboxEntry; failure: SendFailure }

export class OutboxPump {
  private client: RelayClient | undefined
  private readonly inFlight = new Set<string>()
  private queue: OutboxEntry[] = []
  private readonly queued = new Set<string>()
  private outcomes: Outcome[] = []
  private flushScheduled = false
  private wakeTimer: NodeJS.Timeout | undefined
  /** No sends before this time (the relay said RATE_LIMITED). */
  private pausedUntil = 0
  private readonly window: number
  private readonly now: () => number
  private readonly receipts: ReceiptVerifier

  constructor(private readonly options: OutboxPumpOptions) {
    this.window = options.window ?? DEFAULT_SEND_WINDOW
    this.now = options.now ?? Date.now
    this.receipts = options.receipts ?? new ReceiptVerifier()
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
    this.queue = []
    this.queued.clear()
    this.clearWake()
  }

  /** Sends whatever is due now; call after enqueueing or when a retry time passes. */
  kick(): void {
    const client = this.client
    if (client === undefined) return
    const pausedFor = this.pausedUntil - this.now()
    if (pausedFor > 0) {
      this.wakeIn(pausedFor)
      return
    }
    let refilled = false
    while (this.inFlight.size < this.window) {
      if (this.queue.length === 0) {
        // Re-read at most once per kick: entries enqueued later are picked up by their own kick.
        if (refilled) break
        this.refill()
        refilled = true
        if (this.queue.length === 0) break
      }
      const entry = this.queue.shift()!
      const key = idKey(entry.messageId)
      this.queued.delete(key)
      if (this.inFlight.has(key)) continue
      this.inFlight.add(key)
      void this.sendOne(client, entry, key)
    }
    if (this.inFlight.size === 0 && this.queue.length === 0) this.scheduleWake()
  }

  private refill(): void {
    const due = this.options.store.listDue(this.options.relayUrl, this.now(), PAGE_SIZE + this.inFlight.size)
    for (const entry of due) {
      const key = idKey(entry.messageId)
      if (this.inFlight.has(key) || this.queued.has(key)) continue
      this.queued.add(key)
      this.queue.push(entry)
    }
  }

  private async sendOne(client: RelayClient, entry: OutboxEntry, key: string): Promise<void> {
    let outcome: Outcome | undefined
    try {
      const receipt = await client.send(entry.mailboxId, entry.messageId, entry.deliveryToken, entry.envelope)
      // A receipt whose signature does not hold: keep the entry, resend the same id later.
      outcome = this.receipts.verify(client.hello.relayKey, entry.mailboxId, entry.envelope, receipt)
        ? { entry, receipt }
        : { entry, failure: { code: 'BAD_RECEIPT', retryAfterMs: 0 } }
    } catch (error) {
      const failure: SendFailure =
        error instanceof RelayError ? { code: error.code, retryAfterMs: error.retryAfterMs } : { code: 'INTERNAL', retryAfterMs: 0 }
      // Connection loss: not an attempt; the entry stays due and goes out on the next connection.
      if (failure.code !== 'CONNECTION_CLOSED') outcome = { entry, failure }
    }
    if (outcome === undefined) {
      this.inFlight.delete(key)
    } else {
      this.outcomes.push(outcome)
      this.scheduleFlush()
    }
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return
    this.flushScheduled = true
    setImmediate(() => {
      this.flushScheduled = false
      this.flush()
    })
  }

  /** Records every outcome of this turn in one transaction, then reports them and sends more. */
  private flush(): void {
    const outcomes = this.outcomes
    this.outcomes = []
    const events: OutboxStatusChanged[] = []
    const store = this.options.store
    const write = (): void => {
      for (const outcome of outcomes) events.push('receipt' in outcome ? this.recordSent(outcome.entry, outcome.receipt) : this.recordFailure(outcome.entry, outcome.failure))
    }
    let written = true
    try {
      if (store.inOneTransaction !== undefined) store.inOneTransaction(write)
      else write()
    } catch {
      // E.g. the disk is full. The entries stay pending and are resent later under the same ids
      // (the relay answers duplicates); pause so a persistent failure cannot become a hot loop.
      written = false
    }
    for (const outcome of outcomes) this.inFlight.delete(idKey(outcome.entry.messageId))
    if (!written) {
      this.queue = []
      this.queued.clear()
      setTimeout(() => this.kick(), STORE_FAILURE_PAUSE_MS).unref()
      return
    }
    for (const event of events) this.options.events.emit('outboxStatusChanged', event)
    this.kick()
  }

  private recordSent(entry: OutboxEntry, receipt: RelayReceipt): OutboxStatusChanged {
    this.options.store.markSent(entry.messageId, receipt)
    return { messageId: idKey(entry.messageId), status: 'sent', attempts: entry.attempts + 1 }
  }

  private recordFailure(entry: OutboxEntry, failure: SendFailure): OutboxStatusChanged {
    if (failure.code === 'RATE_LIMITED') {
      this.pausedUntil = Math.max(this.pausedUntil, this.now() + Math.max(failure.retryAfterMs, MIN_RATE_LIMIT_PAUSE_MS))
    }
    const decision = decideAfterFailure(entry, failure, this.now(), this.options.policy ?? DEFAULT_OUTBOX_POLICY, this.options.random)
    const messageId = idKey(entry.messageId)
    if (decision.action === 'fail') {
      this.options.store.markFailed(entry.messageId, decision.errorCode)
      return { messageId, status: 'failed', attempts: decision.attempts, errorCode: decision.errorCode }
    }
    this.options.store.markRetry(entry.messageId, decision.attempts, decision.nextAttemptAt, decision.errorCode)
    return { messageId, status: 'pending', attempts: decision.attempts }
  }

  /** Nothing due now: wake up when this relay's earliest retry comes due. */
  private scheduleWake(): void {
    this.clearWake()
    const next = this.options.store.pendingRelays().find((relay) => relay.relayUrl === this.options.relayUrl)
    if (next === undefined) return
    this.wakeIn(Math.max(next.nextAttemptAt - this.now(), 0) + 50)
  }

  private wakeIn(ms: number): void {
    this.clearWake()
    // Timers cap at 2^31-1 ms; a far retry is re-evaluated at that point.
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined
      this.kick()
    }, Math.min(ms, 2 ** 31 - 1))
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
