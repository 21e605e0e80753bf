import { RelayCloseCode } from '../../shared/relay/index'
import type { MailboxRecord, StoredMessage } from '../store/mailbox-store'
import type { Peer, RelayContext } from './context'

/**
 * One consumer of one mailbox (docs/relay-protocol.md 4.4): pushes pending
 * messages in seq order with at most `maxInFlight` unacknowledged, announces
 * `queueEmpty` once the backlog is out, then pushes new messages live.
 * Unacked messages stay stored, so a replaced or dropped consumer loses nothing.
 */
export class Subscription {
  private readonly inFlight = new Set<number>()
  private lastSentSeq: number
  private queueEmptySent = false
  private scheduled = false
  /** False only when the last store read came back short and nothing was skipped since: acks then need no read. */
  private mayHaveMore = true
  private stopped = false

  constructor(
    private readonly ctx: RelayContext,
    readonly peer: Peer,
    readonly mailbox: MailboxRecord,
    afterSeq: number
  ) {
    this.lastSentSeq = afterSeq
  }

  stop(): void {
    this.stopped = true
  }

  /** Coalesces wake-ups (many appends or acks in one turn) into one store read. */
  schedulePump(): void {
    if (this.scheduled || this.stopped) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      this.pump()
    })
  }

  /**
   * A message was just stored. When this consumer is caught up and has room,
   * it is pushed directly (no store read); otherwise the next pump reads it.
   */
  offer(message: StoredMessage): void {
    const caughtUp = this.queueEmptySent && !this.scheduled && message.seq === this.lastSentSeq + 1
    if (this.stopped || !caughtUp || this.inFlight.size >= this.ctx.config.maxInFlight || !this.peer.isOpen) {
      this.mayHaveMore = true
      return this.schedulePump()
    }
    this.send(message)
    this.ctx.metrics.inc('envelopes_delivered_total')
  }

  /** Something was stored that `offer` did not carry (e.g. a dropped marker). */
  notifyStored(): void {
    this.mayHaveMore = true
    this.schedulePump()
  }

  acknowledged(upToSeq: number, seqs: readonly number[]): void {
    for (const seq of this.inFlight) if (seq <= upToSeq) this.inFlight.delete(seq)
    for (const seq of seqs) this.inFlight.delete(seq)
    if (this.mayHaveMore) this.schedulePump()
  }

  pump(): void {
    if (this.stopped || !this.peer.isOpen) return
    const room = this.ctx.config.maxInFlight - this.inFlight.size
    if (room <= 0) return
    const messages = this.ctx.mailboxes.readAfter(this.mailbox, this.lastSentSeq, room)
    for (const message of messages) this.send(message)
    this.mayHaveMore = messages.length === room
    this.ctx.metrics.inc('envelopes_delivered_total', undefined, messages.length)
    if (messages.length < room && !this.queueEmptySent) {
      this.queueEmptySent = true
      this.peer.push({ type: 'queueEmpty', requestId: 0, lastSeq: this.lastSentSeq })
    }
  }

  private send(message: StoredMessage): void {
    if (message.kind === 'envelope') {
      const { seq, messageId, receivedAt, firstContact, envelope } = message
      this.peer.push({ type: 'deliver', requestId: 0, seq, messageId, receivedAt, firstContact, envelope })
    } else {
      this.peer.push({ type: 'dropped', requestId: 0, seq: message.seq, count: message.count, firstDroppedAt: message.firstDroppedAt })
    }
    this.inFlight.add(message.seq)
    this.lastSentSeq = message.seq
  }
}

/** The one active subscription per mailbox; a newer one closes the older connection with 4001. */
export class SubscriptionRegistry {
  private readonly byMailbox = new Map<number, Subscription>()

  subscribe(ctx: RelayContext, peer: Peer, mailbox: MailboxRecord, afterSeq: number): Subscription {
    const previous = this.byMailbox.get(mailbox.handle)
    if (previous) {
      previous.stop()
      if (previous.peer !== peer) {
        ctx.metrics.inc('consumers_replaced_total')
        previous.peer.subscription = undefined
        previous.peer.close(RelayCloseCode.REPLACED_BY_NEW_CONSUMER, 'replaced by a newer connection')
      }
    }
    const subscription = new Subscription(ctx, peer, mailbox, afterSeq)
    this.byMailbox.set(mailbox.handle, subscription)
    peer.subscription = subscription
    return subscription
  }

  /** Called when a connection closes. */
  release(subscription: Subscription): void {
    subscription.stop()
    if (this.byMailbox.get(subscription.mailbox.handle) === subscription) this.byMailbox.delete(subscription.mailbox.handle)
  }

  /** New messages were stored for this mailbox. */
  wake(handle: number): void {
    this.byMailbox.get(handle)?.notifyStored()
  }

  /** A message was just stored for this mailbox: push it to a caught-up consumer. */
  offer(handle: number, message: StoredMessage): void {
    this.byMailbox.get(handle)?.offer(message)
  }

  get size(): number {
    return this.byMailbox.size
  }
}
