/**
 * Minimal binary writer/reader for Tessera's wire formats: big-endian
 * integers, fixed-length fields and u32-length-prefixed variable fields
 * (docs/protocol.md section 0.2.2). The reader throws DecodeError on any
 * truncation or out-of-range value; public decoders catch it and return a
 * typed failure instead.
 */

export class DecodeError extends Error {
  override readonly name = 'DecodeError'
}

export class ByteWriter {
  private buffer: Uint8Array
  private view: DataView
  private length = 0

  constructor(initialCapacity = 256) {
    this.buffer = new Uint8Array(initialCapacity)
    this.view = new DataView(this.buffer.buffer)
  }

  private reserve(extra: number): void {
    const needed = this.length + extra
    if (needed <= this.buffer.length) return
    let capacity = this.buffer.length * 2
    while (capacity < needed) capacity *= 2
    const next = new Uint8Array(capacity)
    next.set(this.buffer.subarray(0, this.length))
    this.buffer.fill(0) // the old buffer may hold secrets (session state)
    this.buffer = next
    this.view = new DataView(next.buffer)
  }

  u8(value: number): this {
    this.reserve(1)
    this.view.setUint8(this.length, value)
    this.length += 1
    return this
  }

  u16(value: number): this {
    this.reserve(2)
    this.view.setUint16(this.length, value, false)
    this.length += 2
    return this
  }

  u32(value: number): this {
    this.reserve(4)
    this.view.setUint32(this.length, value, false)
    this.length += 4
    return this
  }

  /** Non-negative safe integer as u64 big-endian (timestamps in ms, versions). */
  u64(value: number): this {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError('u64 field must be a non-negative safe integer')
    this.reserve(8)
    // Two u32 halves: no BigInt allocation (a safe integer's high half is below 2^21).
    this.view.setUint32(this.length, Math.floor(value / 0x1_0000_0000), false)
    this.view.setUint32(this.length + 4, value >>> 0, false)
    this.length += 8
    return this
  }

  /** Raw bytes, no length (fixed-length fields). */
  bytes(value: Uint8Array): this {
    this.reserve(value.length)
    this.buffer.set(value, this.length)
    this.length += value.length
    return this
  }

  /** u32 length || bytes. */
  varBytes(value: Uint8Array): this {
    return this.u32(value.length).bytes(value)
  }

  /**
   * What was written. When the buffer is exactly full it is handed over
   * as is (no copy left behind to wipe); otherwise a copy is returned and,
   * with `wipe`, the internal buffer zeroed. The writer is done afterwards.
   */
  finish(wipe = false): Uint8Array {
    if (this.length === this.buffer.length) return this.buffer
    const out = this.buffer.slice(0, this.length)
    if (wipe) this.buffer.fill(0)
    return out
  }
}

export class ByteReader {
  private offset = 0
  private readonly view: DataView

  /**
   * With `shareInput`, bytes() returns views into `input` instead of copies:
   * for callers that hand the reader a private copy they own (one copy
   * instead of dozens when loading session state).
   */
  constructor(
    private readonly input: Uint8Array,
    private readonly shareInput = false
  ) {
    this.view = new DataView(input.buffer, input.byteOffset, input.byteLength)
  }

  private need(count: number): void {
    if (this.offset + count > this.input.length) throw new DecodeError('truncated input')
  }

  u8(): number {
    this.need(1)
    return this.view.getUint8(this.offset++)
  }

  u16(): number {
    this.need(2)
    const value = this.view.getUint16(this.offset, false)
    this.offset += 2
    return value
  }

  u32(): number {
    this.need(4)
    const value = this.view.getUint32(this.offset, false)
    this.offset += 4
    return value
  }

  u64(): number {
    this.need(8)
    const high = this.view.getUint32(this.offset, false)
    const low = this.view.getUint32(this.offset + 4, false)
    this.offset += 8
    // Above Number.MAX_SAFE_INTEGER (2^53 - 1) exactly when the high half is 2^21 or more.
    if (high >= 0x20_0000) throw new DecodeError('u64 field out of range')
    return high * 0x1_0000_0000 + low
  }

  /** The next `count` bytes (a copy, or a view with shareInput). */
  bytes(count: number): Uint8Array {
    this.need(count)
    const out = this.shareInput ? this.input.subarray(this.offset, this.offset + count) : this.input.slice(this.offset, this.offset + count)
    this.offset += count
    return out
  }

  /** u32 length || bytes, with an upper bound on the length. */
  varBytes(maxLength: number): Uint8Array {
    const length = this.u32()
    if (length > maxLength) throw new DecodeError('length field exceeds its limit')
    return this.bytes(length)
  }

  /** Bytes not yet read (a copy). */
  rest(): Uint8Array {
    const out = this.input.slice(this.offset)
    this.offset = this.input.length
    return out
  }

  get remaining(): number {
    return this.input.length - this.offset
  }

  /** Throws unless every byte was consumed (no trailing garbage accepted). */
  end(): void {
    if (this.offset !== this.input.length) throw new DecodeError('trailing bytes')
  }
}
