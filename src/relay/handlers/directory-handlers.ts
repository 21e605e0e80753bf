import { MAX_PREKEY_POOLS, RelayError, deviceListMessage } from '../../shared/relay/index'
import { verifyEd25519 } from '../relay-key'
import type { Handler } from './context'
import { hex, requireAuth, requireMailbox, spend } from './guards'

/** publishPrekeys (docs/relay-protocol.md 4.8): owner only; pools 0..3, capped per pool. */
export const publishPrekeys: Handler<'publishPrekeys'> = (ctx, peer, frame) => {
  const mailbox = requireAuth(peer)
  if (frame.oneTimePrekeys.some((item) => item.pool >= MAX_PREKEY_POOLS)) throw new RelayError('MALFORMED_FRAME', `pool ids are 0..${MAX_PREKEY_POOLS - 1}`)
  const result = ctx.directory.publishPrekeys(mailbox.handle, frame.bundle, frame.oneTimePrekeys, ctx.config.maxPrekeysPerPool)
  if (result.status === 'pool-full') throw new RelayError('CAPACITY_EXCEEDED', `one-time prekey pool ${result.pool} is full`)
  peer.respond({ type: 'prekeyStatus', requestId: frame.requestId, hasBundle: result.hasBundle, remaining: result.remaining })
}

/** fetchPrekeys (4.9): anyone, rate-limited per IP and per target; one-time prekeys handed out once. */
export const fetchPrekeys: Handler<'fetchPrekeys'> = (ctx, peer, frame) => {
  const now = ctx.now()
  spend(ctx.limits.prekeyFetchesPerIp.take(peer.ip, now), ctx, 'prekey_fetch_ip')
  spend(ctx.limits.prekeyFetchesPerMailbox.take(hex(frame.mailboxId), now), ctx, 'prekey_fetch_mailbox')
  const mailbox = requireMailbox(ctx, frame.mailboxId)
  const prekeys = ctx.directory.takePrekeys(mailbox.handle)
  if (!prekeys) throw new RelayError('NOT_FOUND', 'no prekey bundle published')
  ctx.metrics.inc('prekeys_fetched_total')
  peer.respond({ type: 'prekeys', requestId: frame.requestId, ...prekeys })
}

/** publishDeviceList (4.10): signed by the mailbox owner key; versions only go up. */
export const publishDeviceList: Handler<'publishDeviceList'> = (ctx, peer, frame) => {
  const mailbox = requireMailbox(ctx, frame.mailboxId)
  if (!verifyEd25519(mailbox.ownerKey, deviceListMessage(frame.mailboxId, frame.version, frame.list), frame.signature)) {
    throw new RelayError('BAD_SIGNATURE', 'device list signature does not verify')
  }
  const stored = ctx.directory.getDeviceList(mailbox.handle)
  if (stored) {
    const identical = stored.version === frame.version && Buffer.from(stored.list).equals(frame.list)
    if (identical) return peer.respond({ type: 'ok', requestId: frame.requestId })
    if (frame.version <= stored.version) throw new RelayError('STALE_VERSION', `stored version is ${stored.version}`)
  }
  ctx.directory.putDeviceList(mailbox.handle, { version: frame.version, list: frame.list, signature: frame.signature })
  peer.respond({ type: 'ok', requestId: frame.requestId })
}

/** fetchDeviceList (4.11). */
export const fetchDeviceList: Handler<'fetchDeviceList'> = (ctx, peer, frame) => {
  const mailbox = requireMailbox(ctx, frame.mailboxId)
  const stored = ctx.directory.getDeviceList(mailbox.handle)
  if (!stored) throw new RelayError('NOT_FOUND', 'no device list published')
  peer.respond({ type: 'deviceList', requestId: frame.requestId, ownerKey: mailbox.ownerKey, ...stored })
}
