import type { HandlerTable } from './context'
import { downloadBlobChunk, queryBlob, uploadBlobChunk } from './blob-handlers'
import { ack, subscribe } from './delivery-handlers'
import { fetchDeviceList, fetchPrekeys, publishDeviceList, publishPrekeys } from './directory-handlers'
import { authenticate, createMailbox, setDeliveryToken } from './mailbox-handlers'
import { createRendezvous, readRendezvous, writeRendezvous } from './rendezvous-handlers'
import { send } from './send-handler'

/** One handler per request type; the mapped type makes a missing operation a compile error. */
export const HANDLERS: HandlerTable = {
  createMailbox,
  authenticate,
  subscribe,
  send,
  ack,
  setDeliveryToken,
  publishPrekeys,
  fetchPrekeys,
  publishDeviceList,
  fetchDeviceList,
  uploadBlobChunk,
  queryBlob,
  downloadBlobChunk,
  createRendezvous,
  writeRendezvous,
  readRendezvous,
  ping: (ctx, peer, frame) => peer.respond({ type: 'pong', requestId: frame.requestId, serverTime: ctx.now() })
}
