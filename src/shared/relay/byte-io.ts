import { FrameDecodeError } from './error-codes'
import { MAX_U64 } from './constants'

const TWO_POW_32 = 0x1_0000_0000

/** Sequential big-endian reader that throws typed decode errors, never RangeErrors. */
export class ByteReader {
  private offset: number
  private readonly view: DataView

  constructor(
    private readonly bytes: Uint8Array,
    start: number,
    private readonly requestId: number | undefined
  ) {
    this.offset = start
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }

  fail(message: string): never {
    throw new FrameDecodeError('MALFORMED_FRAME', message, this.requestId)
  }

  private need(count: number, what: string): void {
    if (this.bytes.length - this.offset < count) this.fail(`truncated ${what}`)
  }

  u8(what: string): number {
    this.need(1, what)
    return this.view.getUint8(this.offset++)
  }

  u16(what: string): number {
    this.need(2, what)
    const value = this.view.getUint16(this.offset)
    this.offset += 2
    return value
  }

  u32(what: string): number {
    this.need(4, what)
    const value = this.view.getUint32(this.offset)
    this.offset += 4
    return value
  }

  u64(what: string): number {
    const high = this.u32(what)
    const low = this.u32(what)
    const value = high * TWO_POW_32 + low
    if (value > MAX_U64) this.fail(`${what} exceeds 2^53-1`)
    return value
  }

  /** Copies the bytes so a decoded frame never aliases (and pins) the socket buffer. */
  take(count: number, what: string): Uint8Array {
    this.need(count, what)
    const slice = this.bytes.slice(this.offset, this.offset + count)
    this.offset += count
    return slice
  }

  remaining(): number {
    return this.bytes.length - this.offset
  }
}

/** Big-endian writer into a pre-sized buffer (the encoder computes the size first). */
export class ByteWriter {
  private offset: number
  readonly bytes: Uint8Array
  private readonly view: DataView

  /** `start`: bytes left free at the front (see encodeFrameAfter); `allocate` may pool (a view into a larger buffer). */
  constructor(size: number, start = 0, allocate: (size: number) => Uint8Array = (n) => new Uint8Array(n)) {
    this.offset = start
    this.bytes = allocate(size)
    this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength)
  }

  u8(value: number): void {
    this.view.setUint8(this.offset++, value)
  }
  u16(value: number): void {
    this.view.setUint16(this.offset, value)
    this.offset += 2
  }
  u32(value: number): void {
    this.view.setUint32(this.offset, value)
    this.offset += 4
  }
  u64(value: number): void {
    this.u32(Math.floor(value / TWO_POW_32))
    this.u32(value % TWO_POW_32)
  }
  put(bytes: Uint8Array): void {
    this.bytes.set(bytes, this.offset)
    this.offset += bytes.length
  }
  get length(): number {
    return this.offset
  }
}
