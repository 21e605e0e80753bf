// Receiving for one mailbox (docs/sync.md, "Receiving"): deliveries pushed by
// the relay are gathered into batches; each batch is decrypted, then stored
// together with the new cursor in ONE transaction, and only THEN acked. A
// crash between commit and ack makes the relay redeliver; those copies have
// seq <= cursor (skipped) or a stored message id (ignored by the store), so
// the user sees each message once. Nothing is acked that is not on disk.
import type { SyncEvents } from './sync-events'
import type { DecryptBatch, DroppedMarker, InboundBatch, InboundStore, MailboxRef, ReceivedEnvelope } from './sync-store'

/** Matches the relay's in-flight window (256 unacked, docs/relay-protocol.md): a full window is one batch. */
export const DEFAULT_MAX_BATCH = 256

export interface InboundPipelineOptions<T> {
  readonly mailbox: MailboxRef
  readonly store: InboundStore<T>
  readonly decrypt: DecryptBatch<T>
  readonly events: SyncEvents
  readonly maxBatch?: number
}

/** Where acks go and where fatal batch errors are reported; replaced on every (re)connection. */
export interface InboundLink {
  ack(upToSeq: number): void
  /** The batch could not be decrypted or stored: drop the connection and retry later. */
  fail(error: unknown): void
}

type Item = { kind: 'envelope'; value: ReceivedEnvelope } | { kind: 'dropped'; value: DroppedMarker }

export class InboundPipeline<T> {
  private cursor: number
  private pending: Item[] = []
  private draining: Promise<void> | undefined
  private link: InboundLink | undefined
  private received = 0
  private remaining: number | undefined
  private readonly maxBatch: number

  constructor(private readonly options: InboundPipelineOptions<T>) {
    this.maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH
    if (!Number.isInteger(this.maxBatch) || this.maxBatch < 1) throw new RangeError('maxBatch must be a positive integer')
    this.cursor = options.store.loadCursor(options.mailbox)
  }

  /** Highest committed sequence number: subscribe with afterSeq = this. */
  get committedSeq(): number {
    return this.cursor
  }

  /**
   * Binds the pipeline to a new connection. Uncommitted deliveries of the old
   * connection are discarded (they were not acked, so the relay redelivers).
   * Await `idle()` first so an in-flight commit has moved the cursor.
   */
  attach(link: InboundLink): void {
    this.link = link
    this.pending = []
    this.received = 0
    this.remaining = undefined
  }

  detach(): void {
    this.link = undefined
    this.pending = []
  }

  /** Resolves once no batch is being decrypted or committed. */
  async idle(): Promise<void> {
    while (this.draining !== undefined) await this.draining
  }

  deliver(envelope: ReceivedEnvelope): void {
    this.enqueue({ kind: 'envelope', value: envelope })
  }

  dropped(marker: DroppedMarker): void {
    this.enqueue({ kind: 'dropped', value: marker })
  }

  /** The relay has delivered its whole backlog up to lastSeq. */
  queueEmpty(_lastSeq: number): void {
    this.remaining = 0
    if (this.draining === undefined) this.reportProgress()
  }

  private enqueue(item: Item): void {
    if (this.link === undefined) return
    this.pending.push(item)
    this.scheduleDrain()
  }

  private scheduleDrain(): void {
    // Batch whatever arrives in the same socket read: start draining on the next turn.
    this.draining ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.drain())
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0 && this.link !== undefined) {
        const link = this.link
        const items = this.pending.splice(0, this.maxBatch)
        const lastSeq = items.reduce((max, item) => Math.max(max, item.value.seq), 0)
        const fresh = items.filter((item) => item.value.seq > this.cursor)
        if (fresh.length > 0) {
          const batch: InboundBatch = {
            mailbox: this.options.mailbox,
            envelopes: fresh.flatMap((item) => (item.kind === 'envelope' ? [item.value] : [])),
            dropped: fresh.flatMap((item) => (item.kind === 'dropped' ? [item.value] : [])),
            lastSeq
          }
          try {
            const decrypted = await this.options.decrypt(batch)
            // Commit even if the connection dropped meanwhile: the decrypt step's session updates
            // belong with these messages, and the next connection subscribes after idle(), from this cursor.
            this.options.store.commitInbound(batch, decrypted)
          } catch (error) {
            this.pending = []
            if (this.link === link) link.fail(error)
            return
          }
          this.cursor = Math.max(this.cursor, lastSeq)
          this.received += batch.envelopes.length
        }
        if (this.link !== link) return // detached: the next connection's subscribe acks up to the cursor
        // Committed (or already stored): now, and only now, the relay may forget them.
        link.ack(Math.max(lastSeq, this.cursor))
        this.reportProgress()
      }
    } finally {
      this.draining = undefined
      // Deliveries for a newly attached connection may have queued behind an abandoned batch.
      if (this.pending.length > 0 && this.link !== undefined) this.scheduleDrain()
    }
  }

  private reportProgress(): void {
    const { relayUrl } = this.options.mailbox
    const remaining = this.pending.length === 0 ? this.remaining : undefined
    this.options.events.emit('syncProgress', remaining === undefined ? { relayUrl, received: this.received } : { relayUrl, received: this.received, remaining })
  }
}
