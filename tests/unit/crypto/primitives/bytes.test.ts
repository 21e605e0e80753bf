import { describe, expect, it } from 'vitest'
import { assertBytes, concatBytes, equalBytes, lengthPrefixed, randomBytes, wipe } from '../../../../src/main/core/crypto/primitives/bytes'
import { ByteReader, ByteWriter, DecodeError } from '../../../../src/main/core/crypto/primitives/byte-io'
import { KeyType, decodePublicKey, encodePublicKey, encodedKeyLength } from '../../../../src/main/core/crypto/primitives/encoding'
import * as labels from '../../../../src/main/core/crypto/primitives/labels'

describe('bytes helpers', () => {
  it('assertBytes throws TypeError for non-bytes and RangeError for a wrong length, naming only the argument', () => {
    expect(() => assertBytes('abc', 3, 'key')).toThrow(TypeError)
    expect(() => assertBytes(new Uint8Array(31), 32, 'key')).toThrow(new RangeError('key must be 32 bytes, got 31'))
    expect(() => assertBytes(new Uint8Array(32), 32, 'key')).not.toThrow()
  })

  it('lengthPrefixed puts a u32 big-endian length before each part, so different splits never collide', () => {
    expect(Array.from(lengthPrefixed(Uint8Array.of(1, 2), Uint8Array.of(3)))).toEqual([0, 0, 0, 2, 1, 2, 0, 0, 0, 1, 3])
    expect(equalBytes(lengthPrefixed(Uint8Array.of(1), Uint8Array.of(2, 3)), lengthPrefixed(Uint8Array.of(1, 2), Uint8Array.of(3)))).toBe(false)
  })

  it('concat, constant-time equality, wipe, randomness', () => {
    expect(Array.from(concatBytes(Uint8Array.of(1), Uint8Array.of(), Uint8Array.of(2, 3)))).toEqual([1, 2, 3])
    expect(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true)
    expect(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBe(false)
    expect(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1))).toBe(false)
    const secret = Uint8Array.of(9, 9, 9)
    wipe(secret, undefined)
    expect(Array.from(secret)).toEqual([0, 0, 0])
    const a = randomBytes(70_000)
    expect(a.length).toBe(70_000)
    expect(equalBytes(randomBytes(32), randomBytes(32))).toBe(false)
  })
})

describe('byte reader/writer', () => {
  it('round trips integers and fields and rejects truncation and trailing bytes', () => {
    const bytes = new ByteWriter(1).u8(1).u16(0x0203).u32(0x04050607).u64(2 ** 40 + 5).varBytes(Uint8Array.of(8, 9)).finish()
    const reader = new ByteReader(bytes)
    expect([reader.u8(), reader.u16(), reader.u32(), reader.u64(), Array.from(reader.varBytes(10))]).toEqual([1, 0x0203, 0x04050607, 2 ** 40 + 5, [8, 9]])
    reader.end()
    expect(() => new ByteReader(bytes.subarray(0, 5)).u64()).toThrow(DecodeError)
    expect(() => new ByteReader(Uint8Array.of(0, 0, 0, 9, 1)).varBytes(100)).toThrow(DecodeError)
    expect(() => new ByteReader(Uint8Array.of(0, 0, 0, 9)).varBytes(4)).toThrow('length field exceeds its limit')
    const trailing = new ByteReader(Uint8Array.of(1, 2))
    trailing.u8()
    expect(() => trailing.end()).toThrow(DecodeError)
  })

  it('u64 is big-endian, exact up to Number.MAX_SAFE_INTEGER, and rejects anything above', () => {
    for (const value of [0, 1, 0xffff_ffff, 2 ** 32, 1_764_000_000_000, Number.MAX_SAFE_INTEGER]) {
      const bytes = new ByteWriter(8).u64(value).finish()
      const view = new DataView(bytes.buffer, bytes.byteOffset, 8)
      expect(view.getBigUint64(0, false)).toBe(BigInt(value))
      expect(new ByteReader(bytes).u64()).toBe(value)
    }
    expect(() => new ByteWriter().u64(2 ** 53)).toThrow(RangeError)
    const tooBig = new Uint8Array(8)
    new DataView(tooBig.buffer).setBigUint64(0, BigInt(Number.MAX_SAFE_INTEGER) + 1n, false)
    expect(() => new ByteReader(tooBig).u64()).toThrow(DecodeError)
  })
})

describe('key encodings (docs/protocol.md section 0.2.1)', () => {
  it('type byte first; encodings of different key types are pairwise disjoint', () => {
    const raw = new Uint8Array(32).fill(7)
    const x = encodePublicKey(KeyType.X25519, raw)
    const e = encodePublicKey(KeyType.Ed25519, raw)
    expect(x[0]).toBe(0x05)
    expect(e[0]).toBe(0x06)
    expect(equalBytes(x, e)).toBe(false)
    expect(decodePublicKey(KeyType.Ed25519, x)).toBeNull()
    expect(decodePublicKey(KeyType.X25519, x)).toEqual(raw)
    expect(encodedKeyLength(KeyType.XWing)).toBe(1217)
    expect(new Set([KeyType.X25519, KeyType.Ed25519, KeyType.XWing]).size).toBe(3)
  })

  it('every label is distinct and versioned', () => {
    const values = Object.entries(labels)
      .filter(([name]) => name.startsWith('LABEL_'))
      .map(([, value]) => new TextDecoder().decode(value as Uint8Array))
    expect(new Set(values).size).toBe(values.length)
    for (const value of values) expect(value.startsWith('Tessera v1 ')).toBe(true)
  })
})
