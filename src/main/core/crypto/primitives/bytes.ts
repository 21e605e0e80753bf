/**
 * Byte helpers shared by every crypto module. Misuse (wrong type, wrong
 * length) throws TypeError/RangeError in the style of noble's `abytes`;
 * expected protocol failures are typed results elsewhere, never exceptions.
 * Error messages name the argument and lengths only, never its contents.
 */

/** Throws unless `value` is a Uint8Array (of exactly `length` bytes when given). */
export function assertBytes(value: unknown, length: number | undefined, name: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new TypeError(`${name} must be a Uint8Array`)
  }
  if (length !== undefined && value.length !== length) {
    throw new RangeError(`${name} must be ${length} bytes, got ${value.length}`)
  }
}

/** Concatenates byte arrays into a fresh buffer. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let total = 0
  for (const part of parts) total += part.length
  const out = new Uint8Array(total)
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

/**
 * Constant-time equality for equal-length inputs (the running time depends
 * only on the lengths, never on where the first difference is).
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number)
  return diff === 0
}

/** Each part preceded by its length as a u32 big-endian (docs/protocol.md section 0.2.2). */
export function lengthPrefixed(...parts: Uint8Array[]): Uint8Array {
  let total = 0
  for (const part of parts) total += 4 + part.length
  const out = new Uint8Array(total)
  const view = new DataView(out.buffer)
  let offset = 0
  for (const part of parts) {
    view.setUint32(offset, part.length, false)
    out.set(part, offset + 4)
    offset += 4 + part.length
  }
  return out
}

const POOL_BYTES = 4096
const POOLED_REQUEST_MAX = 256
let pool = new Uint8Array(0)
let poolOffset = 0

/**
 * Fresh bytes from the platform CSPRNG. Deliberately not libsodium's
 * randombytes_buf: in the wasm build it costs ~80-105 us per call, 25x the
 * platform's (../shared/notes/environment.md). Small requests (nonces, keys)
 * are served from a 4 KiB buffer filled by one getRandomValues call: a call
 * costs ~3-6 us here whatever its size, more than the AEAD it feeds. Served
 * bytes are zeroed in the buffer at once, so it never holds a copy of a
 * key already handed out.
 */
export function randomBytes(length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0) throw new RangeError('length must be a non-negative integer')
  if (length <= POOLED_REQUEST_MAX) {
    if (poolOffset + length > pool.length) {
      pool.fill(0)
      pool = new Uint8Array(POOL_BYTES)
      globalThis.crypto.getRandomValues(pool)
      poolOffset = 0
    }
    const out = pool.slice(poolOffset, poolOffset + length)
    pool.fill(0, poolOffset, poolOffset + length)
    poolOffset += length
    return out
  }
  const out = new Uint8Array(length)
  // getRandomValues fills at most 65,536 bytes per call.
  for (let offset = 0; offset < length; offset += 65_536) {
    globalThis.crypto.getRandomValues(out.subarray(offset, Math.min(length, offset + 65_536)))
  }
  return out
}

/** A source of random bytes; injectable so known-answer vectors can use fixed seeds. */
export type RandomSource = (length: number) => Uint8Array

/** Overwrites buffers with zeros (secret hygiene; JS cannot guarantee no copies remain). */
export function wipe(...buffers: (Uint8Array | undefined | null)[]): void {
  for (const buffer of buffers) buffer?.fill(0)
}

/** Lowercase hex, for ids and test output (never for secrets in messages). */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

/** Parses lowercase or uppercase hex; throws TypeError on odd length or bad digits. */
export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new TypeError('invalid hex string')
  return new Uint8Array(Buffer.from(hex, 'hex'))
}

/** u32 big-endian. */
export function u32be(value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) throw new RangeError('value must be a u32')
  const out = new Uint8Array(4)
  new DataView(out.buffer).setUint32(0, value, false)
  return out
}
