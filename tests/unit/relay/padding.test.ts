import { describe, expect, it } from 'vitest'
import { PADDING_BUCKETS, RelayError, isPaddedLength, padEnvelope, paddedLength, unpadEnvelope } from '../../../src/shared/relay/index'

// docs/relay-protocol.md 4.5: ISO/IEC 7816-4 padding to the smallest bucket.
describe('envelope padding', () => {
  it('pads to the smallest bucket that holds the bytes and the 0x80 marker', () => {
    expect(paddedLength(0)).toBe(256)
    expect(paddedLength(255)).toBe(256)
    expect(paddedLength(256)).toBe(512)
    expect(paddedLength(65_535)).toBe(65_536)
    expect(() => paddedLength(65_536)).toThrow(RelayError)
  })

  it('round-trips, including content that ends in zeros and 0x80', () => {
    for (const content of [new Uint8Array(0), new Uint8Array([0, 0]), new Uint8Array([0x80]), new Uint8Array(1000).fill(0x80)]) {
      const padded = padEnvelope(content)
      expect(isPaddedLength(padded.length)).toBe(true)
      expect(unpadEnvelope(padded)).toEqual(content)
    }
  })

  it('rejects non-bucket lengths and a missing marker', () => {
    expect(() => unpadEnvelope(new Uint8Array(300))).toThrow(RelayError)
    expect(() => unpadEnvelope(new Uint8Array(256))).toThrow(/marker/)
    expect(PADDING_BUCKETS.every((bucket, i) => i === 0 || bucket === 2 * (PADDING_BUCKETS[i - 1] as number))).toBe(true)
  })
})
