import { describe, expect, it } from 'vitest'
import { FrameDecodeError, MAX_FRAME_BYTES, decodeRequestFrame, decodeServerFrame, encodeFrame } from '../../../src/shared/relay/index'

// docs/relay-protocol.md section 2: frame layout, field kinds and strict decoding, on raw bytes.
const h = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex.replace(/\s+/g, ''), 'hex'))
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')

function decodeError(run: () => unknown): FrameDecodeError {
  try {
    run()
  } catch (error) {
    if (error instanceof FrameDecodeError) return error
    throw error
  }
  throw new Error('decoded without error')
}

describe('2.1 frame layout', () => {
  it('is version, type, big-endian u32 request id, then the body', () => {
    expect(toHex(encodeFrame({ type: 'ping', requestId: 0x01020304 }))).toBe('01' + '11' + '01020304')
    expect(toHex(encodeFrame({ type: 'subscribe', requestId: 7, afterSeq: 0x0102030405 }))).toBe('01 03 00000007 0000000102030405'.replace(/ /g, ''))
    expect(decodeRequestFrame(h('01 11 00000009'))).toEqual({ type: 'ping', requestId: 9 })
  })

  it('pushes carry request id 0', () => {
    expect(toHex(encodeFrame({ type: 'queueEmpty', requestId: 0, lastSeq: 5 }))).toBe('0183' + '00000000' + '0000000000000005')
    expect(decodeServerFrame(h('01 83 00000000 0000000000000005'))).toEqual({ type: 'queueEmpty', requestId: 0, lastSeq: 5 })
  })

  it('refuses to encode frames over 512 KiB', () => {
    expect(() => encodeFrame({ type: 'rendezvousPayload', requestId: 1, payload: new Uint8Array(70_000) })).toThrow(RangeError)
  })
})

describe('2.2 field kinds', () => {
  it('bytes carry a u32 length; lists a u16 count', () => {
    const ack = encodeFrame({ type: 'ack', requestId: 1, upToSeq: 3, seqs: [5, 7] })
    expect(toHex(ack)).toBe('0105' + '00000001' + '0000000000000003' + '0002' + '0000000000000005' + '0000000000000007')
    const write = encodeFrame({ type: 'writeRendezvous', requestId: 2, slotId: new Uint8Array(16).fill(0xaa), payload: h('beef') })
    expect(toHex(write)).toBe('010f00000002' + 'aa'.repeat(16) + '00000002' + 'beef')
  })

  it('ascii fields carry a u16 length and printable ASCII; flags are one byte', () => {
    const error = encodeFrame({ type: 'error', requestId: 3, code: 5, retryAfterMs: 250, message: 'slow' })
    expect(toHex(error)).toBe('014100000003' + '0005' + '000000fa' + '0004' + Buffer.from('slow').toString('hex'))
    expect(() => encodeFrame({ type: 'error', requestId: 3, code: 5, retryAfterMs: 0, message: 'caf\u00e9' })).toThrow(TypeError)
  })

  it('u64 values round-trip up to 2^53-1', () => {
    const frame = { type: 'subscribe', requestId: 1, afterSeq: Number.MAX_SAFE_INTEGER } as const
    expect(decodeRequestFrame(encodeFrame(frame))).toEqual(frame)
    expect(() => encodeFrame({ ...frame, afterSeq: 2 ** 53 })).toThrow(RangeError)
  })
})

describe('2.3 decoding rules', () => {
  it('rejects a short header', () => {
    const error = decodeError(() => decodeRequestFrame(h('0111000000')))
    expect(error.code).toBe('MALFORMED_FRAME')
    expect(error.requestId).toBeUndefined()
  })

  it('rejects another version, keeping the request id for the answer', () => {
    const error = decodeError(() => decodeRequestFrame(h('02 11 0000002a')))
    expect(error.code).toBe('UNSUPPORTED_VERSION')
    expect(error.requestId).toBe(42)
  })

  it('rejects unknown frame types and frame types of the other direction', () => {
    expect(decodeError(() => decodeRequestFrame(h('01 3f 00000001'))).code).toBe('UNKNOWN_FRAME_TYPE')
    expect(decodeError(() => decodeRequestFrame(h('01 40 00000001'))).code).toBe('UNKNOWN_FRAME_TYPE') // ok is a response
    expect(decodeError(() => decodeServerFrame(h('01 11 00000001'))).code).toBe('UNKNOWN_FRAME_TYPE') // ping is a request
  })

  it('rejects request id 0 on requests and non-zero on pushes; error may carry 0', () => {
    expect(decodeError(() => decodeRequestFrame(h('01 11 00000000'))).code).toBe('MALFORMED_FRAME')
    expect(decodeError(() => decodeServerFrame(h('01 83 00000001 0000000000000005'))).code).toBe('MALFORMED_FRAME')
    expect(decodeServerFrame(h('01 41 00000000 0001 00000000 0000'))).toEqual({ type: 'error', requestId: 0, code: 1, retryAfterMs: 0, message: '' })
  })

  it('rejects trailing bytes (unknown fields)', () => {
    expect(decodeError(() => decodeRequestFrame(h('01 11 00000001 00'))).code).toBe('MALFORMED_FRAME')
  })

  it('rejects truncated fields and lengths over their limits', () => {
    expect(decodeError(() => decodeRequestFrame(h('01 03 00000001 00000000'))).code).toBe('MALFORMED_FRAME')
    // writeRendezvous whose payload length claims 4 GiB.
    expect(decodeError(() => decodeRequestFrame(h('01 0f 00000001' + '00'.repeat(16) + 'ffffffff'))).code).toBe('MALFORMED_FRAME')
    // ack with 257 selective seqs (limit 256).
    expect(decodeError(() => decodeRequestFrame(h('01 05 00000001' + '00'.repeat(8) + '0101' + '00'.repeat(8 * 257)))).code).toBe('MALFORMED_FRAME')
  })

  it('rejects a delivery token that is neither empty nor 32 bytes', () => {
    const body = '00'.repeat(32) + '00'.repeat(16) + '00000010' + '00'.repeat(16) + '00000000'
    expect(decodeError(() => decodeRequestFrame(h('01 04 00000001' + body))).code).toBe('MALFORMED_FRAME')
  })

  it('rejects flags other than 0 and 1, u64 over 2^53-1 and non-ASCII text', () => {
    const receipt = (flag: string): string => '00'.repeat(32) + '0000000000000001' + flag + '00000000' + '00000001' + '0000' + '00'.repeat(64)
    expect(decodeServerFrame(h('01 42 00000001' + receipt('01')))).toMatchObject({ duplicate: true, treeSize: 1, proof: [] })
    expect(decodeError(() => decodeServerFrame(h('01 42 00000001' + receipt('02')))).code).toBe('MALFORMED_FRAME')
    expect(decodeError(() => decodeRequestFrame(h('01 03 00000001 0020000000000000'))).code).toBe('MALFORMED_FRAME')
    expect(decodeError(() => decodeServerFrame(h('01 41 00000001 0001 00000000 0001 e9'))).code).toBe('MALFORMED_FRAME')
  })

  it('rejects frames over 512 KiB', () => {
    expect(decodeError(() => decodeRequestFrame(new Uint8Array(MAX_FRAME_BYTES + 1))).code).toBe('FRAME_TOO_LARGE')
  })

  it('copies byte fields so decoded frames never alias the input buffer', () => {
    const bytes = encodeFrame({ type: 'fetchPrekeys', requestId: 1, mailboxId: new Uint8Array(32).fill(1) })
    const frame = decodeRequestFrame(bytes)
    bytes.fill(0)
    expect(frame.type === 'fetchPrekeys' && frame.mailboxId[0]).toBe(1)
  })
})
