import { signReceipts } from '../receipt-signer'
import type { ReceiptSubject } from '../receipt-signer'
import type { AppendRequest } from '../store/mailbox-store'
import type { Peer, RelayContext } from './context'

interface QueuedSend {
  peer: Peer
  requestId: number
  request: AppendRequest
}

/**
 * Group commit: sends that arrive in the same event-loop turn are stored in
 * one SQLite transaction, then all their receipts are signed with one
 * signature over a Merkle root (section 3.3) and subscribers are woken. One
 * commit and one signature per turn instead of one per envelope.
 */
export class SendBatcher {
  private queue: QueuedSend[] = []
  private scheduled = false
  private ctx: RelayContext | undefined

  bind(ctx: RelayContext): void {
    this.ctx = ctx
  }

  enqueue(peer: Peer, requestId: number, request: AppendRequest): void {
    this.queue.push({ peer, requestId, request })
    if (!this.scheduled) {
      this.scheduled = true
      setImmediate(() => this.flush())
    }
  }

  get pending(): number {
    return this.queue.length
  }

  /** Stores everything queued now; also called by graceful shutdown. */
  flush(): void {
    this.scheduled = false
    const ctx = this.ctx
    const batch = this.queue
    this.queue = []
    if (!ctx || batch.length === 0) return
    let results
    try {
      results = ctx.mailboxes.appendMany(batch.map((item) => item.request))
    } catch (error) {
      ctx.logger.error('append failed', { error: (error as Error).message, batch: batch.length })
      for (const item of batch) item.peer.fail(item.requestId, 'INTERNAL', 'storage failure')
      return
    }
    ctx.metrics.inc('commits_total')
    const woken = new Set<number>()
    const receipted: { item: QueuedSend; duplicate: boolean }[] = []
    const subjects: ReceiptSubject[] = []
    batch.forEach((item, index) => {
      const result = results[index]
      const { mailbox } = item.request
      if (!result || result.status === 'full') {
        ctx.metrics.inc('sends_rejected_total', { reason: 'full' })
        item.peer.fail(item.requestId, 'MAILBOX_FULL', 'mailbox is full')
        woken.add(mailbox.handle) // a dropped marker may have been stored
        return
      }
      receipted.push({ item, duplicate: result.status === 'duplicate' })
      subjects.push({ envelopeHash: result.envelopeHash, mailboxId: mailbox.mailboxId, receivedAt: result.receivedAt })
      if (result.status === 'stored') {
        ctx.metrics.inc('envelopes_accepted_total')
        woken.add(mailbox.handle)
      } else {
        ctx.metrics.inc('envelopes_duplicate_total')
      }
    })
    // One signature per commit (section 3.3): a Merkle root over every receipt of the batch.
    signReceipts(ctx.relayKey, subjects).forEach((receipt, index) => {
      const { item, duplicate } = receipted[index] as { item: QueuedSend; duplicate: boolean }
      item.peer.respond({ type: 'receipt', requestId: item.requestId, duplicate, ...receipt })
    })
    for (const handle of woken) ctx.subscriptions.wake(handle)
  }
}
