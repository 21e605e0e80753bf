import { describe, expect, it } from 'vitest'
import { encodeFrame } from '../../../src/shared/relay/index'
import type { PushFrame, ResponseFrame } from '../../../src/shared/relay/index'
import { encodeWebSocketMessage } from '../../../src/relay/transport/relay-connection'

// The relay writes each frame as one whole WebSocket message (RFC 6455 5.2) straight to the socket.
const frameOf = (bytes: number): PushFrame | ResponseFrame =>
  bytes > 65_536 ? { type: 'blobChunk', requestId: 9, totalSize: bytes, offset: 0, chunk: new Uint8Array(bytes).fill(6) } : deliver(bytes)
const deliver = (envelopeBytes: number): PushFrame => ({
  type: 'deliver',
  requestId: 0,
  seq: 7,
  messageId: new Uint8Array(16).fill(3),
  receivedAt: 1_700_000_000_000,
  firstContact: false,
  envelope: new Uint8Array(envelopeBytes).fill(5)
})

describe('encodeWebSocketMessage', () => {
  it.each([
    ['7-bit', 0, 2],
    ['16-bit', 1024, 4],
    ['64-bit', 70_000, 10]
  ])('%s payload length: FIN+binary header, unmasked, then the encoded frame', (_, envelopeBytes, headerBytes) => {
    const frame = frameOf(envelopeBytes)
    const payload = encodeFrame(frame)
    const message = encodeWebSocketMessage(frame)
    expect(message.length).toBe(headerBytes + payload.length)
    expect(message[0]).toBe(0x82)
    const view = new DataView(message.buffer, message.byteOffset, message.byteLength)
    const length = headerBytes === 2 ? message[1]! : headerBytes === 4 ? view.getUint16(2) : view.getUint32(2) * 2 ** 32 + view.getUint32(6)
    if (headerBytes === 2) expect(message[1]! & 0x80).toBe(0)
    else expect(message[1]).toBe(headerBytes === 4 ? 126 : 127)
    expect(length).toBe(payload.length)
    expect(new Uint8Array(message.subarray(headerBytes))).toEqual(payload)
  })

  it('picks the header size right at each length boundary (125/126, 65535/65536 payload bytes)', () => {
    const overhead = encodeFrame(frameOf(0)).length
    for (const [payloadLength, headerBytes] of [[125, 2], [126, 4], [0xffff, 4], [0x10000, 10]] as const) {
      if (payloadLength < overhead) continue
      const message = encodeWebSocketMessage(frameOf(payloadLength - overhead))
      expect(message.length).toBe(headerBytes + payloadLength)
      expect(message[1]! & 0x7f).toBe(headerBytes === 2 ? payloadLength : headerBytes === 4 ? 126 : 127)
    }
  })
})
