import { RelayError, authenticateMessage, createMailboxMessage } from '../../shared/relay/index'
import { verifyEd25519 } from '../relay-key'
import type { Handler } from './context'
import { requireAuth, requireMailbox, spend } from './guards'

/** createMailbox (docs/relay-protocol.md 4.2): owner proves its key by signing this connection's challenge. */
export const createMailbox: Handler<'createMailbox'> = (ctx, peer, frame) => {
  spend(ctx.limits.mailboxCreatesPerIp.take(peer.ip, ctx.now()), ctx, 'mailbox_create_ip')
  const message = createMailboxMessage(ctx.relayKey.publicKey, peer.challenge, frame.mailboxId, frame.ownerKey, frame.deliveryTokenHash)
  if (!verifyEd25519(frame.ownerKey, message, frame.signature)) throw new RelayError('BAD_SIGNATURE', 'create signature does not verify')
  const result = ctx.mailboxes.createMailbox(frame.mailboxId, frame.ownerKey, frame.deliveryTokenHash, ctx.now())
  if (result === 'exists-other-owner') throw new RelayError('MAILBOX_EXISTS', 'mailbox id is taken')
  if (result === 'created') ctx.metrics.inc('mailboxes_created_total')
  peer.respond({ type: 'ok', requestId: frame.requestId })
}

/** authenticate (4.3): challenge-response with the mailbox owner key; once per connection. */
export const authenticate: Handler<'authenticate'> = (ctx, peer, frame) => {
  if (peer.mailbox) throw new RelayError('ALREADY_AUTHENTICATED', 'connection is already authenticated')
  const mailbox = requireMailbox(ctx, frame.mailboxId)
  const message = authenticateMessage(ctx.relayKey.publicKey, peer.challenge, frame.mailboxId)
  if (!verifyEd25519(mailbox.ownerKey, message, frame.signature)) {
    ctx.metrics.inc('auth_failures_total')
    throw new RelayError('AUTH_FAILED', 'challenge signature does not verify')
  }
  peer.mailbox = mailbox
  peer.respond({ type: 'ok', requestId: frame.requestId })
}

/** setDeliveryToken (4.7): replaces the token hash, revoking the old token. */
export const setDeliveryToken: Handler<'setDeliveryToken'> = (ctx, peer, frame) => {
  ctx.mailboxes.setDeliveryTokenHash(requireAuth(peer), frame.deliveryTokenHash)
  peer.respond({ type: 'ok', requestId: frame.requestId })
}
