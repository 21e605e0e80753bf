import { RelayError } from '../../shared/relay/index'
import type { Handler } from './context'
import { requireAuth } from './guards'

/** subscribe (docs/relay-protocol.md 4.4): acks everything <= afterSeq, then starts delivery. */
export const subscribe: Handler<'subscribe'> = (ctx, peer, frame) => {
  const mailbox = requireAuth(peer)
  ctx.mailboxes.ack(mailbox, frame.afterSeq, [], ctx.now())
  const subscription = ctx.subscriptions.subscribe(ctx, peer, mailbox, frame.afterSeq)
  peer.respond({ type: 'ok', requestId: frame.requestId })
  subscription.pump()
}

/** ack (4.6): cumulative plus selective; acked messages are deleted, their ids kept for dedupe. */
export const ack: Handler<'ack'> = (ctx, peer, frame) => {
  const mailbox = requireAuth(peer)
  const subscription = peer.subscription
  if (!subscription) throw new RelayError('NOT_SUBSCRIBED', 'subscribe before acknowledging')
  // Written with this turn's sends in one transaction; answered after the commit.
  ctx.writeBatcher.enqueueAck({ peer, requestId: frame.requestId, mailbox, subscription, upToSeq: frame.upToSeq, seqs: frame.seqs })
}
