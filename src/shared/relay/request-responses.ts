import type { RequestType, ResponseFrames } from './frames'

/**
 * The response type that answers each request when it succeeds
 * (docs/relay-protocol.md section 4); any request may instead get `error`.
 */
export const RESPONSE_TYPE_FOR = {
  createMailbox: 'ok',
  authenticate: 'ok',
  subscribe: 'ok',
  send: 'receipt',
  ack: 'ok',
  setDeliveryToken: 'ok',
  publishPrekeys: 'prekeyStatus',
  fetchPrekeys: 'prekeys',
  publishDeviceList: 'ok',
  fetchDeviceList: 'deviceList',
  uploadBlobChunk: 'blobStatus',
  queryBlob: 'blobStatus',
  downloadBlobChunk: 'blobChunk',
  createRendezvous: 'rendezvousSlot',
  writeRendezvous: 'ok',
  readRendezvous: 'rendezvousPayload',
  ping: 'pong'
} as const satisfies Record<RequestType, Exclude<keyof ResponseFrames, 'error'>>

export type ResponseFor<T extends RequestType> = ResponseFrames[(typeof RESPONSE_TYPE_FOR)[T]]
