import { timingSafeEqual } from 'node:crypto'
import { RelayError, isPaddedLength } from '../../shared/relay/index'
import { sha256 } from '../sha256'
import type { MailboxRecord } from '../store/mailbox-store'
import type { Handler } from './context'
import { requireMailbox, spend } from './guards'

/**
 * send (docs/relay-protocol.md 4.5): checks size, padding, token (or first
 * contact limits) and rate limits, then queues the envelope for the next
 * group commit; the receipt is sent only after it is stored.
 */
export const send: Handler<'send'> = (ctx, peer, frame) => {
  const { envelope, deliveryToken } = frame
  if (envelope.length > ctx.config.maxEnvelopeBytes) throw new RelayError('ENVELOPE_TOO_LARGE', `envelope over ${ctx.config.maxEnvelopeBytes} bytes`)
  if (!isPaddedLength(envelope.length)) throw new RelayError('ENVELOPE_NOT_PADDED', 'envelope length is not a padding bucket')
  const mailbox = requireMailbox(ctx, frame.mailboxId)
  const firstContact = deliveryToken.length === 0
  if (!firstContact && !tokenVerifiedBefore(mailbox, deliveryToken)) {
    const presented = sha256(deliveryToken)
    if (!timingSafeEqual(presented, mailbox.deliveryTokenHash)) {
      ctx.metrics.inc('sends_rejected_total', { reason: 'token' })
      throw new RelayError('DELIVERY_TOKEN_INVALID', 'delivery token does not match')
    }
    rememberToken(mailbox, deliveryToken)
  }
  const now = ctx.now()
  const mailboxKey = mailbox.handle
  spend(ctx.limits.sendsPerMailbox.take(mailboxKey, now), ctx, 'mailbox_sends')
  if (firstContact) {
    spend(ctx.limits.firstContactPerMailbox.take(mailboxKey, now), ctx, 'first_contact_mailbox')
    spend(ctx.limits.firstContactPerIp.take(peer.ip, now), ctx, 'first_contact_ip')
  }
  const envelopeHash = sha256(envelope)
  ctx.writeBatcher.enqueueSend(peer, frame.requestId, {
    mailbox,
    messageId: frame.messageId,
    envelope,
    envelopeHash,
    firstContact,
    receivedAt: now
  })
}

/**
 * Every sender to a mailbox presents the same token (the mailbox has one token
 * hash). Once a token matched, later sends compare the token itself (constant
 * time) instead of hashing it again. Kept per mailbox record, so memory is
 * bounded by the mailboxes in use, not by connections; the entry holds only
 * while the mailbox's token hash is the one it matched (setDeliveryToken
 * replaces that array).
 */
const verifiedTokens = new WeakMap<MailboxRecord, { tokenHash: Uint8Array; token: Uint8Array }>()

function tokenVerifiedBefore(mailbox: MailboxRecord, token: Uint8Array): boolean {
  const known = verifiedTokens.get(mailbox)
  return known !== undefined && known.tokenHash === mailbox.deliveryTokenHash && known.token.length === token.length && timingSafeEqual(known.token, token)
}

function rememberToken(mailbox: MailboxRecord, token: Uint8Array): void {
  verifiedTokens.set(mailbox, { tokenHash: mailbox.deliveryTokenHash, token: Uint8Array.from(token) })
}
