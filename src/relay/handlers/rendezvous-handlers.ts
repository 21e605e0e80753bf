import { MAX_RENDEZVOUS_WAIT_MS, RelayError } from '../../shared/relay/index'
import type { Handler } from './context'
import { spend } from './guards'

/** createRendezvous (docs/relay-protocol.md 4.13), rate-limited per IP. */
export const createRendezvous: Handler<'createRendezvous'> = (ctx, peer, frame) => {
  spend(ctx.limits.rendezvousCreatesPerIp.take(peer.ip, ctx.now()), ctx, 'rendezvous_create_ip')
  const slot = ctx.rendezvous.create(ctx.now())
  peer.respond({ type: 'rendezvousSlot', requestId: frame.requestId, ...slot })
}

export const writeRendezvous: Handler<'writeRendezvous'> = (ctx, peer, frame) => {
  ctx.rendezvous.write(frame.slotId, frame.payload, ctx.now())
  peer.respond({ type: 'ok', requestId: frame.requestId })
}

export const readRendezvous: Handler<'readRendezvous'> = async (ctx, peer, frame) => {
  if (frame.waitMs > MAX_RENDEZVOUS_WAIT_MS) throw new RelayError('MALFORMED_FRAME', `waitMs over ${MAX_RENDEZVOUS_WAIT_MS}`)
  const payload = await ctx.rendezvous.read(frame.slotId, frame.readToken, frame.waitMs, ctx.now())
  peer.respond({ type: 'rendezvousPayload', requestId: frame.requestId, payload })
}
