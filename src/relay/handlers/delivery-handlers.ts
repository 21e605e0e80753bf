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
  const count = ctx.mailboxes.ack(mailbox, frame.upToSeq, frame.seqs, ctx.now())
  ctx.metrics.inc('envelopes_acked_total', undefined, count)
  subscription.acknowledged(frame.upToSeq, frame.seqs)
  peer.respond({ type: 'ok', requestId: frame.requestId })
}
