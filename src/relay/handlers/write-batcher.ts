import { signReceipts } from '../receipt-signer'
import type { ReceiptSubject } from '../receipt-signer'
import type { AppendRequest, AppendResult, MailboxRecord } from '../store/mailbox-store'
import type { Peer, RelayContext } from './context'
import type { Subscription } from './delivery'

interface QueuedSend {
  peer: Peer
  requestId: number
  request: AppendRequest
}

interface QueuedAck {
  peer: Peer
  requestId: number
  mailbox: MailboxRecord
  subscription: Subscription
  upToSeq: number
  seqs: readonly number[]
}

/**
 * Group commit (decisions/0041): the sends and acks that arrive in one
 * event-loop turn are written in one SQLite transaction. Then the receipts of
 * the stored sends are signed with one signature over a Merkle root
 * (docs/relay-protocol.md 3.3), acks are confirmed, and subscribers get the
 * new messages (directly when they are caught up, without re-reading them).
 */
export class WriteBatcher {
  private sends: QueuedSend[] = []
  private acks: QueuedAck[] = []
  private scheduled = false
  private ctx: RelayContext | undefined

  bind(ctx: RelayContext): void {
    this.ctx = ctx
  }

  enqueueSend(peer: Peer, requestId: number, request: AppendRequest): void {
    this.sends.push({ peer, requestId, request })
    this.schedule()
  }

  enqueueAck(ack: QueuedAck): void {
    this.acks.push(ack)
    this.schedule()
  }

  get pending(): number {
    return this.sends.length + this.acks.length
  }

  /** Writes everything queued now; also called by graceful shutdown. */
  flush(): void {
    this.scheduled = false
    const ctx = this.ctx
    const sends = this.sends
    const acks = this.acks
    this.sends = []
    this.acks = []
    if (!ctx || sends.length + acks.length === 0) return
    let results: AppendResult[] = []
    let ackCounts: number[] = []
    try {
      ctx.mailboxes.inOneTransaction(() => {
        results = sends.length > 0 ? ctx.mailboxes.appendMany(sends.map((item) => item.request)) : []
        const now = ctx.now()
        ackCounts = acks.map((ack) => ctx.mailboxes.ack(ack.mailbox, ack.upToSeq, ack.seqs, now))
      })
    } catch (error) {
      ctx.logger.error('write batch failed', { error: (error as Error).message, sends: sends.length, acks: acks.length })
      for (const item of [...sends, ...acks]) item.peer.fail(item.requestId, 'INTERNAL', 'storage failure')
      return
    }
    ctx.metrics.inc('commits_total')
    acks.forEach((ack, index) => {
      ctx.metrics.inc('envelopes_acked_total', undefined, ackCounts[index] ?? 0)
      ack.subscription.acknowledged(ack.upToSeq, ack.seqs)
      ack.peer.respond({ type: 'ok', requestId: ack.requestId })
    })
    this.answerSends(ctx, sends, results)
  }

  private answerSends(ctx: RelayContext, sends: QueuedSend[], results: AppendResult[]): void {
    const receipted: QueuedSend[] = []
    const duplicates: boolean[] = []
    const subjects: ReceiptSubject[] = []
    const woken = new Set<number>()
    sends.forEach((item, index) => {
      const result = results[index]
      const { mailbox } = item.request
      if (!result || result.status === 'full') {
        ctx.metrics.inc('sends_rejected_total', { reason: 'full' })
        item.peer.fail(item.requestId, 'MAILBOX_FULL', 'mailbox is full')
        woken.add(mailbox.handle) // a dropped marker may have been stored
        return
      }
      receipted.push(item)
      duplicates.push(result.status === 'duplicate')
      subjects.push({ envelopeHash: result.envelopeHash, mailboxId: mailbox.mailboxId, receivedAt: result.receivedAt })
      if (result.status === 'duplicate') return ctx.metrics.inc('envelopes_duplicate_total')
      ctx.metrics.inc('envelopes_accepted_total')
      const { messageId, firstContact, envelope } = item.request
      ctx.subscriptions.offer(mailbox.handle, { kind: 'envelope', seq: result.seq, messageId, receivedAt: result.receivedAt, firstContact, envelope })
    })
    if (subjects.length > 0) {
      // One signature per commit (section 3.3): a Merkle root over every receipt of the batch.
      const { treeSize, proofs, signature } = signReceipts(ctx.relayKey, subjects)
      receipted.forEach((item, leafIndex) => {
        const { envelopeHash, receivedAt } = subjects[leafIndex] as ReceiptSubject
        const proof = proofs[leafIndex] as Uint8Array[]
        item.peer.respond({ type: 'receipt', requestId: item.requestId, duplicate: duplicates[leafIndex] as boolean, envelopeHash, receivedAt, leafIndex, treeSize, proof, signature })
      })
    }
    for (const handle of woken) ctx.subscriptions.wake(handle)
  }

  private schedule(): void {
    if (this.scheduled) return
    this.scheduled = true
    setImmediate(() => this.flush())
  }
}
