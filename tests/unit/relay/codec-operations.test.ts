import { describe, expect, it } from 'vitest'
import { RESPONSE_TYPE_FOR, decodeRequestFrame, decodeServerFrame, encodeFrame } from '../../../src/shared/relay/index'
import type { RequestFrame, ServerFrame } from '../../../src/shared/relay/index'

// docs/relay-protocol.md section 4: every operation's frames round-trip exactly.
const b = (n: number, fill = 7): Uint8Array => new Uint8Array(n).fill(fill)

const REQUESTS: RequestFrame[] = [
  { type: 'createMailbox', requestId: 1, mailboxId: b(32), ownerKey: b(32, 1), deliveryTokenHash: b(32, 2), signature: b(64, 3) },
  { type: 'authenticate', requestId: 2, mailboxId: b(32), signature: b(64) },
  { type: 'subscribe', requestId: 3, afterSeq: 99 },
  { type: 'send', requestId: 4, mailboxId: b(32), messageId: b(16), deliveryToken: b(32), envelope: b(1024) },
  { type: 'send', requestId: 5, mailboxId: b(32), messageId: b(16), deliveryToken: new Uint8Array(0), envelope: b(256) },
  { type: 'ack', requestId: 6, upToSeq: 10, seqs: [12, 14] },
  { type: 'setDeliveryToken', requestId: 7, deliveryTokenHash: b(32) },
  { type: 'publishPrekeys', requestId: 8, bundle: b(300), oneTimePrekeys: [{ pool: 0, key: b(32) }, { pool: 1, key: b(1120) }] },
  { type: 'fetchPrekeys', requestId: 9, mailboxId: b(32) },
  { type: 'publishDeviceList', requestId: 10, mailboxId: b(32), version: 3, list: b(500), signature: b(64) },
  { type: 'fetchDeviceList', requestId: 11, mailboxId: b(32) },
  { type: 'uploadBlobChunk', requestId: 12, blobHash: b(32), totalSize: 1_000_000, offset: 262_144, chunk: b(4_096) },
  { type: 'queryBlob', requestId: 13, blobHash: b(32) },
  { type: 'downloadBlobChunk', requestId: 14, blobHash: b(32), offset: 5, length: 100 },
  { type: 'createRendezvous', requestId: 15 },
  { type: 'writeRendezvous', requestId: 16, slotId: b(16), payload: b(2000) },
  { type: 'readRendezvous', requestId: 17, slotId: b(16), readToken: b(16), waitMs: 30_000 },
  { type: 'ping', requestId: 18 }
]

const SERVER_FRAMES: ServerFrame[] = [
  { type: 'ok', requestId: 1 },
  { type: 'error', requestId: 2, code: 14, retryAfterMs: 0, message: 'mailbox is full' },
  { type: 'receipt', requestId: 3, envelopeHash: b(32), receivedAt: 1_764_000_000_000, duplicate: false, leafIndex: 2, treeSize: 3, proof: [b(32, 1), b(32, 2)], signature: b(64) },
  { type: 'prekeyStatus', requestId: 4, hasBundle: true, remaining: [{ pool: 0, count: 100 }, { pool: 1, count: 5 }] },
  { type: 'prekeys', requestId: 5, bundle: b(300), oneTimePrekeys: [{ pool: 1, key: b(1120) }] },
  { type: 'deviceList', requestId: 6, ownerKey: b(32), version: 4, list: b(10), signature: b(64) },
  { type: 'blobStatus', requestId: 7, totalSize: 10, received: 5, complete: false, expiresAt: 1 },
  { type: 'blobChunk', requestId: 8, totalSize: 10, offset: 5, chunk: b(5) },
  { type: 'rendezvousSlot', requestId: 9, slotId: b(16), readToken: b(16), expiresAt: 2 },
  { type: 'rendezvousPayload', requestId: 10, payload: b(3) },
  { type: 'pong', requestId: 11, serverTime: 3 },
  { type: 'hello', requestId: 0, relayKey: b(32), challenge: b(32), maxFrameBytes: 524_288, maxEnvelopeBytes: 65_536, serverTime: 4 },
  { type: 'deliver', requestId: 0, seq: 1, messageId: b(16), receivedAt: 5, firstContact: true, envelope: b(512) },
  { type: 'dropped', requestId: 0, seq: 2, count: 40, firstDroppedAt: 6 },
  { type: 'queueEmpty', requestId: 0, lastSeq: 2 }
]

describe('4 operations', () => {
  it.each(REQUESTS.map((frame) => [frame.type, frame] as const))('request %s round-trips', (_type, frame) => {
    expect(decodeRequestFrame(encodeFrame(frame))).toEqual(frame)
  })

  it.each(SERVER_FRAMES.map((frame) => [frame.type, frame] as const))('relay frame %s round-trips', (_type, frame) => {
    expect(decodeServerFrame(encodeFrame(frame))).toEqual(frame)
  })

  it('covers every request type and names a response for each', () => {
    const covered = new Set(REQUESTS.map((frame) => frame.type))
    expect([...covered].sort()).toEqual(Object.keys(RESPONSE_TYPE_FOR).sort())
  })

  it('4.5 send: raw layout of a first-contact send', () => {
    const bytes = encodeFrame({ type: 'send', requestId: 1, mailboxId: b(32, 0xaa), messageId: b(16, 0xbb), deliveryToken: new Uint8Array(0), envelope: b(256, 0xcc) })
    const hex = Buffer.from(bytes).toString('hex')
    expect(hex).toBe('010400000001' + 'aa'.repeat(32) + 'bb'.repeat(16) + '00000000' + '00000100' + 'cc'.repeat(256))
  })

  it('encoders reject wrong fixed lengths and out-of-range pools', () => {
    expect(() => encodeFrame({ type: 'authenticate', requestId: 1, mailboxId: b(31), signature: b(64) })).toThrow(RangeError)
    expect(() => encodeFrame({ type: 'publishPrekeys', requestId: 1, bundle: b(1), oneTimePrekeys: [{ pool: 256, key: b(1) }] })).toThrow(RangeError)
    expect(() => encodeFrame({ type: 'publishPrekeys', requestId: 1, bundle: b(1), oneTimePrekeys: [{ pool: 0, key: b(0) }] })).toThrow(RangeError)
  })
})
