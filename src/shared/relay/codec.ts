import { FRAME_HEADER_BYTES, MAX_FRAME_BYTES, MAX_U64, PROTOCOL_VERSION, SHA256_BYTES } from './constants'
import { FrameDecodeError } from './error-codes'
import { ByteReader, ByteWriter } from './byte-io'
import type { FieldSpec } from './frame-schema'
import { PUSH_SCHEMAS, REQUEST_SCHEMAS, RESPONSE_SCHEMAS } from './frame-schema'
import type { AnyFrame, RequestFrame, ServerFrame } from './frames'

/**
 * Encoder and strict decoder of relay frames (docs/relay-protocol.md section 2).
 * Decoding rejects, with a typed FrameDecodeError: a wrong version, a frame type
 * not valid in that direction, a request id of 0 on a request (or non-zero on a
 * push), any field out of its limit, and trailing bytes (unknown fields).
 */

type Direction = 'request' | 'response' | 'push'
interface FrameKind {
  type: string
  code: number
  direction: Direction
  fields: readonly FieldSpec[]
}

function kindsOf(schemas: Record<string, { code: number; fields: readonly FieldSpec[] }>, direction: Direction): FrameKind[] {
  return Object.entries(schemas).map(([type, schema]) => ({ type, code: schema.code, direction, fields: schema.fields }))
}

const ALL_KINDS = [...kindsOf(REQUEST_SCHEMAS, 'request'), ...kindsOf(RESPONSE_SCHEMAS, 'response'), ...kindsOf(PUSH_SCHEMAS, 'push')]
const KIND_BY_TYPE = new Map(ALL_KINDS.map((kind) => [kind.type, kind]))
const KIND_BY_CODE = new Map(ALL_KINDS.map((kind) => [kind.code, kind]))

export function encodeFrame(frame: AnyFrame): Uint8Array {
  return encodeFrameAfter(frame, () => 0)
}

/**
 * Encodes `frame` after `headroom(size)` bytes left free at the start of the
 * returned buffer (a transport header written by the caller: the relay puts
 * the WebSocket frame header there and writes one buffer per frame).
 * `allocate` may return uninitialised memory (Node's pooled
 * Buffer.allocUnsafe): the encoder writes every byte after the headroom.
 */
export function encodeFrameAfter(frame: AnyFrame, headroom: (size: number) => number, allocate?: (size: number) => Uint8Array): Uint8Array {
  const kind = KIND_BY_TYPE.get(frame.type)
  if (!kind) throw new TypeError(`unknown frame type ${String(frame.type)}`)
  const requestId = frame.requestId
  if (!Number.isInteger(requestId) || requestId < 0 || requestId > 0xffffffff) throw new RangeError('requestId must be a u32')
  if (!requestIdAllowed(kind, requestId)) throw new RangeError('requestId must be 0 exactly on pushes (and may be 0 on error)')
  const values = frame as unknown as Record<string, unknown>
  let size = FRAME_HEADER_BYTES
  for (const field of kind.fields) size += encodedSize(field, values[field.name])
  if (size > MAX_FRAME_BYTES) throw new RangeError(`frame of ${size} bytes exceeds ${MAX_FRAME_BYTES}`)
  const skip = headroom(size)
  const writer = new ByteWriter(skip + size, skip, allocate)
  writer.u8(PROTOCOL_VERSION)
  writer.u8(kind.code)
  writer.u32(requestId)
  for (const field of kind.fields) writeField(writer, field, values[field.name])
  if (writer.length !== skip + size) throw new Error('frame encoder wrote fewer bytes than it sized') // never leave uninitialised bytes
  return writer.bytes
}

/** Decodes a frame a client sent; used by the relay. */
export function decodeRequestFrame(bytes: Uint8Array): RequestFrame {
  return decodeFrame(bytes, (direction) => direction === 'request') as RequestFrame
}

/** Decodes a frame the relay sent; used by clients. */
export function decodeServerFrame(bytes: Uint8Array): ServerFrame {
  return decodeFrame(bytes, (direction) => direction !== 'request') as ServerFrame
}

/** Reads the request id of a frame whose body failed to decode, if the header is intact. */
export function peekRequestId(bytes: Uint8Array): number | undefined {
  if (bytes.length < FRAME_HEADER_BYTES) return undefined
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(2)
}

/**
 * Pushes carry request id 0, requests and responses a non-zero id; an `error`
 * may carry 0 when the relay could not read the failed frame's id (section 2.3).
 */
function requestIdAllowed(kind: FrameKind, requestId: number): boolean {
  if (kind.direction === 'push') return requestId === 0
  return requestId !== 0 || kind.type === 'error'
}

function decodeFrame(bytes: Uint8Array, accepts: (direction: Direction) => boolean): AnyFrame {
  if (bytes.length > MAX_FRAME_BYTES) throw new FrameDecodeError('FRAME_TOO_LARGE', `frame of ${bytes.length} bytes`, undefined)
  if (bytes.length < FRAME_HEADER_BYTES) throw new FrameDecodeError('MALFORMED_FRAME', 'truncated header', undefined)
  const requestId = peekRequestId(bytes) as number // defined: the length was checked above
  if (bytes[0] !== PROTOCOL_VERSION) throw new FrameDecodeError('UNSUPPORTED_VERSION', `version ${String(bytes[0])}`, requestId)
  const code = bytes[1] as number
  const kind = KIND_BY_CODE.get(code)
  if (!kind || !accepts(kind.direction)) throw new FrameDecodeError('UNKNOWN_FRAME_TYPE', `frame type 0x${code.toString(16)}`, requestId)
  if (!requestIdAllowed(kind, requestId)) throw new FrameDecodeError('MALFORMED_FRAME', 'bad request id', requestId)
  const reader = new ByteReader(bytes, FRAME_HEADER_BYTES, requestId)
  const frame: Record<string, unknown> = { type: kind.type, requestId }
  for (const field of kind.fields) frame[field.name] = readField(reader, field)
  if (reader.remaining() !== 0) reader.fail(`${reader.remaining()} trailing bytes`)
  return frame as unknown as AnyFrame
}

function readField(reader: ByteReader, field: FieldSpec): unknown {
  const what = field.name
  switch (field.k) {
    case 'u8':
      return reader.u8(what)
    case 'u16':
      return reader.u16(what)
    case 'u32':
      return reader.u32(what)
    case 'u64':
      return reader.u64(what)
    case 'flag': {
      const value = reader.u8(what)
      if (value > 1) reader.fail(`${what} must be 0 or 1`)
      return value === 1
    }
    case 'fixed':
      return reader.take(field.n, what)
    case 'bytes': {
      const length = reader.u32(what)
      if (length > field.max) reader.fail(`${what} longer than ${field.max}`)
      if (field.oneOf && !field.oneOf.includes(length)) reader.fail(`${what} has invalid length ${length}`)
      return reader.take(length, what)
    }
    case 'ascii': {
      const length = reader.u16(what)
      if (length > field.max) reader.fail(`${what} longer than ${field.max}`)
      const raw = reader.take(length, what)
      let text = ''
      for (const byte of raw) {
        if (byte < 0x20 || byte > 0x7e) reader.fail(`${what} is not printable ASCII`)
        text += String.fromCharCode(byte)
      }
      return text
    }
    case 'u64list': {
      const count = reader.u16(what)
      if (count > field.max) reader.fail(`${what} has more than ${field.max} items`)
      const items: number[] = []
      for (let i = 0; i < count; i++) items.push(reader.u64(what))
      return items
    }
    case 'hashList': {
      const count = reader.u16(what)
      if (count > field.max) reader.fail(`${what} has more than ${field.max} items`)
      const items: Uint8Array[] = []
      for (let i = 0; i < count; i++) items.push(reader.take(SHA256_BYTES, what))
      return items
    }
    case 'pooledKeys': {
      const count = reader.u16(what)
      if (count > field.max) reader.fail(`${what} has more than ${field.max} items`)
      const items: { pool: number; key: Uint8Array }[] = []
      for (let i = 0; i < count; i++) {
        const pool = reader.u8(what)
        const length = reader.u32(what)
        if (length === 0 || length > field.maxItem) reader.fail(`${what} item has invalid length ${length}`)
        items.push({ pool, key: reader.take(length, what) })
      }
      return items
    }
    case 'poolCounts': {
      const count = reader.u16(what)
      if (count > field.max) reader.fail(`${what} has more than ${field.max} items`)
      const items: { pool: number; count: number }[] = []
      for (let i = 0; i < count; i++) items.push({ pool: reader.u8(what), count: reader.u32(what) })
      return items
    }
  }
}

function checkInt(value: unknown, max: number, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${name} must be an integer in [0, ${max}]`)
  }
  return value
}

function checkBytes(value: unknown, name: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array`)
  return value
}

function checkList(value: unknown, max: number, name: string): unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`${name} must be an array`)
  if (value.length > max) throw new RangeError(`${name} has more than ${max} items`)
  return value
}

function encodedSize(field: FieldSpec, value: unknown): number {
  const name = field.name
  switch (field.k) {
    case 'u8':
      checkInt(value, 0xff, name)
      return 1
    case 'u16':
      checkInt(value, 0xffff, name)
      return 2
    case 'u32':
      checkInt(value, 0xffffffff, name)
      return 4
    case 'u64':
      checkInt(value, MAX_U64, name)
      return 8
    case 'flag':
      if (typeof value !== 'boolean') throw new TypeError(`${name} must be a boolean`)
      return 1
    case 'fixed':
      if (checkBytes(value, name).length !== field.n) throw new RangeError(`${name} must be ${field.n} bytes`)
      return field.n
    case 'bytes': {
      const length = checkBytes(value, name).length
      if (length > field.max) throw new RangeError(`${name} longer than ${field.max}`)
      if (field.oneOf && !field.oneOf.includes(length)) throw new RangeError(`${name} has invalid length ${length}`)
      return 4 + length
    }
    case 'ascii': {
      if (typeof value !== 'string' || !/^[\x20-\x7e]*$/.test(value)) throw new TypeError(`${name} must be printable ASCII`)
      if (value.length > field.max) throw new RangeError(`${name} longer than ${field.max}`)
      return 2 + value.length
    }
    case 'u64list':
      for (const item of checkList(value, field.max, name)) checkInt(item, MAX_U64, name)
      return 2 + 8 * (value as unknown[]).length
    case 'hashList':
      for (const item of checkList(value, field.max, name)) {
        if (checkBytes(item, name).length !== SHA256_BYTES) throw new RangeError(`${name} items must be ${SHA256_BYTES} bytes`)
      }
      return 2 + SHA256_BYTES * (value as unknown[]).length
    case 'pooledKeys': {
      let size = 2
      for (const item of checkList(value, field.max, name) as { pool: unknown; key: unknown }[]) {
        checkInt(item.pool, 0xff, name)
        const length = checkBytes(item.key, name).length
        if (length === 0 || length > field.maxItem) throw new RangeError(`${name} item has invalid length ${length}`)
        size += 5 + length
      }
      return size
    }
    case 'poolCounts':
      for (const item of checkList(value, field.max, name) as { pool: unknown; count: unknown }[]) {
        checkInt(item.pool, 0xff, name)
        checkInt(item.count, 0xffffffff, name)
      }
      return 2 + 5 * (value as unknown[]).length
  }
}

function writeField(writer: ByteWriter, field: FieldSpec, value: unknown): void {
  switch (field.k) {
    case 'u8':
      return writer.u8(value as number)
    case 'u16':
      return writer.u16(value as number)
    case 'u32':
      return writer.u32(value as number)
    case 'u64':
      return writer.u64(value as number)
    case 'flag':
      return writer.u8(value ? 1 : 0)
    case 'fixed':
      return writer.put(value as Uint8Array)
    case 'bytes':
      writer.u32((value as Uint8Array).length)
      return writer.put(value as Uint8Array)
    case 'ascii': {
      const text = value as string
      writer.u16(text.length)
      for (let i = 0; i < text.length; i++) writer.u8(text.charCodeAt(i))
      return
    }
    case 'u64list':
      writer.u16((value as number[]).length)
      for (const item of value as number[]) writer.u64(item)
      return
    case 'hashList':
      writer.u16((value as unknown[]).length)
      for (const item of value as Uint8Array[]) writer.put(item)
      return
    case 'pooledKeys':
      writer.u16((value as unknown[]).length)
      for (const item of value as { pool: number; key: Uint8Array }[]) {
        writer.u8(item.pool)
        writer.u32(item.key.length)
        writer.put(item.key)
      }
      return
    case 'poolCounts':
      writer.u16((value as unknown[]).length)
      for (const item of value as { pool: number; count: number }[]) {
        writer.u8(item.pool)
        writer.u32(item.count)
      }
      return
  }
}
