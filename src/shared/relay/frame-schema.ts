import {
  CHALLENGE_BYTES,
  DELIVERY_TOKEN_BYTES,
  ED25519_PUBLIC_KEY_BYTES,
  ED25519_SIGNATURE_BYTES,
  MAILBOX_ID_BYTES,
  MAX_BLOB_CHUNK_BYTES,
  MAX_DEVICE_LIST_BYTES,
  MAX_ENVELOPE_BYTES,
  MAX_ERROR_MESSAGE_BYTES,
  MAX_ONE_TIME_PREKEY_BYTES,
  MAX_ONE_TIME_PREKEYS_PER_PUBLISH,
  MAX_PREKEY_BUNDLE_BYTES,
  MAX_PREKEY_POOLS,
  MAX_RECEIPT_PROOF_HASHES,
  MAX_RENDEZVOUS_PAYLOAD_BYTES,
  MAX_SELECTIVE_ACKS,
  MESSAGE_ID_BYTES,
  RENDEZVOUS_ID_BYTES,
  RENDEZVOUS_READ_TOKEN_BYTES,
  SHA256_BYTES
} from './constants'

/**
 * Field kinds of the wire format (docs/relay-protocol.md section 2.2). All
 * integers are big-endian; `bytes` carry a u32 length, lists a u16 count.
 */
export type FieldSpec =
  | { readonly name: string; readonly k: 'u8' | 'u16' | 'u32' | 'u64' | 'flag' }
  | { readonly name: string; readonly k: 'fixed'; readonly n: number }
  | { readonly name: string; readonly k: 'bytes'; readonly max: number; readonly oneOf?: readonly number[] }
  | { readonly name: string; readonly k: 'ascii'; readonly max: number }
  | { readonly name: string; readonly k: 'u64list'; readonly max: number }
  | { readonly name: string; readonly k: 'hashList'; readonly max: number }
  | { readonly name: string; readonly k: 'pooledKeys'; readonly max: number; readonly maxItem: number }
  | { readonly name: string; readonly k: 'poolCounts'; readonly max: number }

/** One one-time prekey of a pool (section 4.7): pools separate e.g. X25519 and KEM prekeys. */
export interface PooledKey {
  pool: number
  key: Uint8Array
}
export interface PoolCount {
  pool: number
  count: number
}

const mailboxId = { name: 'mailboxId', k: 'fixed', n: MAILBOX_ID_BYTES } as const
const signature = { name: 'signature', k: 'fixed', n: ED25519_SIGNATURE_BYTES } as const
const blobHash = { name: 'blobHash', k: 'fixed', n: SHA256_BYTES } as const
const slotId = { name: 'slotId', k: 'fixed', n: RENDEZVOUS_ID_BYTES } as const

/** Client-to-relay requests (section 4). Every request carries a non-zero request id. */
export const REQUEST_SCHEMAS = {
  createMailbox: {
    code: 0x01,
    fields: [mailboxId, { name: 'ownerKey', k: 'fixed', n: ED25519_PUBLIC_KEY_BYTES }, { name: 'deliveryTokenHash', k: 'fixed', n: SHA256_BYTES }, signature]
  },
  authenticate: { code: 0x02, fields: [mailboxId, signature] },
  subscribe: { code: 0x03, fields: [{ name: 'afterSeq', k: 'u64' }] },
  send: {
    code: 0x04,
    fields: [
      mailboxId,
      { name: 'messageId', k: 'fixed', n: MESSAGE_ID_BYTES },
      { name: 'deliveryToken', k: 'bytes', max: DELIVERY_TOKEN_BYTES, oneOf: [0, DELIVERY_TOKEN_BYTES] },
      { name: 'envelope', k: 'bytes', max: MAX_ENVELOPE_BYTES }
    ]
  },
  ack: { code: 0x05, fields: [{ name: 'upToSeq', k: 'u64' }, { name: 'seqs', k: 'u64list', max: MAX_SELECTIVE_ACKS }] },
  setDeliveryToken: { code: 0x06, fields: [{ name: 'deliveryTokenHash', k: 'fixed', n: SHA256_BYTES }] },
  publishPrekeys: {
    code: 0x07,
    fields: [
      { name: 'bundle', k: 'bytes', max: MAX_PREKEY_BUNDLE_BYTES },
      { name: 'oneTimePrekeys', k: 'pooledKeys', max: MAX_ONE_TIME_PREKEYS_PER_PUBLISH, maxItem: MAX_ONE_TIME_PREKEY_BYTES }
    ]
  },
  fetchPrekeys: { code: 0x08, fields: [mailboxId] },
  publishDeviceList: {
    code: 0x09,
    fields: [mailboxId, { name: 'version', k: 'u64' }, { name: 'list', k: 'bytes', max: MAX_DEVICE_LIST_BYTES }, signature]
  },
  fetchDeviceList: { code: 0x0a, fields: [mailboxId] },
  uploadBlobChunk: {
    code: 0x0b,
    fields: [blobHash, { name: 'totalSize', k: 'u64' }, { name: 'offset', k: 'u64' }, { name: 'chunk', k: 'bytes', max: MAX_BLOB_CHUNK_BYTES }]
  },
  queryBlob: { code: 0x0c, fields: [blobHash] },
  downloadBlobChunk: { code: 0x0d, fields: [blobHash, { name: 'offset', k: 'u64' }, { name: 'length', k: 'u32' }] },
  createRendezvous: { code: 0x0e, fields: [] },
  writeRendezvous: { code: 0x0f, fields: [slotId, { name: 'payload', k: 'bytes', max: MAX_RENDEZVOUS_PAYLOAD_BYTES }] },
  readRendezvous: {
    code: 0x10,
    fields: [slotId, { name: 'readToken', k: 'fixed', n: RENDEZVOUS_READ_TOKEN_BYTES }, { name: 'waitMs', k: 'u32' }]
  },
  ping: { code: 0x11, fields: [] }
} as const satisfies Record<string, { code: number; fields: readonly FieldSpec[] }>

/** Relay-to-client responses (section 4); they echo the request id. */
export const RESPONSE_SCHEMAS = {
  ok: { code: 0x40, fields: [] },
  error: {
    code: 0x41,
    fields: [{ name: 'code', k: 'u16' }, { name: 'retryAfterMs', k: 'u32' }, { name: 'message', k: 'ascii', max: MAX_ERROR_MESSAGE_BYTES }]
  },
  receipt: {
    code: 0x42,
    fields: [
      { name: 'envelopeHash', k: 'fixed', n: SHA256_BYTES },
      { name: 'receivedAt', k: 'u64' },
      { name: 'duplicate', k: 'flag' },
      { name: 'leafIndex', k: 'u32' },
      { name: 'treeSize', k: 'u32' },
      { name: 'proof', k: 'hashList', max: MAX_RECEIPT_PROOF_HASHES },
      signature
    ]
  },
  prekeyStatus: {
    code: 0x43,
    fields: [{ name: 'hasBundle', k: 'flag' }, { name: 'remaining', k: 'poolCounts', max: MAX_PREKEY_POOLS }]
  },
  prekeys: {
    code: 0x44,
    fields: [
      { name: 'bundle', k: 'bytes', max: MAX_PREKEY_BUNDLE_BYTES },
      { name: 'oneTimePrekeys', k: 'pooledKeys', max: MAX_PREKEY_POOLS, maxItem: MAX_ONE_TIME_PREKEY_BYTES }
    ]
  },
  deviceList: {
    code: 0x45,
    fields: [{ name: 'ownerKey', k: 'fixed', n: ED25519_PUBLIC_KEY_BYTES }, { name: 'version', k: 'u64' }, { name: 'list', k: 'bytes', max: MAX_DEVICE_LIST_BYTES }, signature]
  },
  blobStatus: {
    code: 0x46,
    fields: [{ name: 'totalSize', k: 'u64' }, { name: 'received', k: 'u64' }, { name: 'complete', k: 'flag' }, { name: 'expiresAt', k: 'u64' }]
  },
  blobChunk: { code: 0x47, fields: [{ name: 'totalSize', k: 'u64' }, { name: 'offset', k: 'u64' }, { name: 'chunk', k: 'bytes', max: MAX_BLOB_CHUNK_BYTES }] },
  rendezvousSlot: {
    code: 0x48,
    fields: [slotId, { name: 'readToken', k: 'fixed', n: RENDEZVOUS_READ_TOKEN_BYTES }, { name: 'expiresAt', k: 'u64' }]
  },
  rendezvousPayload: { code: 0x49, fields: [{ name: 'payload', k: 'bytes', max: MAX_RENDEZVOUS_PAYLOAD_BYTES }] },
  pong: { code: 0x4a, fields: [{ name: 'serverTime', k: 'u64' }] }
} as const satisfies Record<string, { code: number; fields: readonly FieldSpec[] }>

/** Relay-initiated pushes (section 4); their request id is always 0. */
export const PUSH_SCHEMAS = {
  hello: {
    code: 0x80,
    fields: [
      { name: 'relayKey', k: 'fixed', n: ED25519_PUBLIC_KEY_BYTES },
      { name: 'challenge', k: 'fixed', n: CHALLENGE_BYTES },
      { name: 'maxFrameBytes', k: 'u32' },
      { name: 'maxEnvelopeBytes', k: 'u32' },
      { name: 'serverTime', k: 'u64' }
    ]
  },
  deliver: {
    code: 0x81,
    fields: [
      { name: 'seq', k: 'u64' },
      { name: 'messageId', k: 'fixed', n: MESSAGE_ID_BYTES },
      { name: 'receivedAt', k: 'u64' },
      { name: 'firstContact', k: 'flag' },
      { name: 'envelope', k: 'bytes', max: MAX_ENVELOPE_BYTES }
    ]
  },
  dropped: { code: 0x82, fields: [{ name: 'seq', k: 'u64' }, { name: 'count', k: 'u32' }, { name: 'firstDroppedAt', k: 'u64' }] },
  queueEmpty: { code: 0x83, fields: [{ name: 'lastSeq', k: 'u64' }] }
} as const satisfies Record<string, { code: number; fields: readonly FieldSpec[] }>
