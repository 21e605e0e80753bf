import { RelayError } from '../../shared/relay/index'
import type { MailboxRecord } from '../store/mailbox-store'
import type { Peer, RelayContext } from './context'

/** Throws RATE_LIMITED with the wait when a bucket is empty (docs/relay-protocol.md section 7). */
export function spend(wait: number, ctx: RelayContext, scope: string): void {
  if (wait === 0) return
  ctx.metrics.inc('rate_limited_total', { scope })
  throw new RelayError('RATE_LIMITED', `rate limit: ${scope}`, wait)
}

export function requireAuth(peer: Peer): MailboxRecord {
  if (!peer.mailbox) throw new RelayError('NOT_AUTHENTICATED', 'authenticate first')
  return peer.mailbox
}

export function requireMailbox(ctx: RelayContext, mailboxId: Uint8Array): MailboxRecord {
  const mailbox = ctx.mailboxes.getMailbox(mailboxId)
  if (!mailbox) throw new RelayError('MAILBOX_NOT_FOUND', 'no such mailbox')
  return mailbox
}

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
