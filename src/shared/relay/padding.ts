import { MAX_ENVELOPE_BYTES, PADDING_BUCKETS } from './constants'
import { RelayError } from './error-codes'

/**
 * Envelope padding to size buckets (docs/relay-protocol.md section 4.4). The
 * relay only accepts envelopes whose length is a bucket, so every client must
 * pad; the padding is ISO/IEC 7816-4 (one 0x80 byte, then zeros), which is
 * unambiguous to remove. Apply it to the final sealed bytes: the inner AEAD
 * authenticates the ciphertext, so stripping unauthenticated padding is safe.
 */

export function isPaddedLength(length: number): boolean {
  return PADDING_BUCKETS.includes(length)
}

/** The smallest bucket that holds `length` bytes plus the 0x80 marker. */
export function paddedLength(length: number): number {
  for (const bucket of PADDING_BUCKETS) if (bucket >= length + 1) return bucket
  throw new RelayError('ENVELOPE_TOO_LARGE', `envelope of ${length} bytes exceeds ${MAX_ENVELOPE_BYTES - 1} before padding`)
}

export function padEnvelope(sealed: Uint8Array): Uint8Array {
  const out = new Uint8Array(paddedLength(sealed.length))
  out.set(sealed)
  out[sealed.length] = 0x80
  return out
}

export function unpadEnvelope(padded: Uint8Array): Uint8Array {
  if (!isPaddedLength(padded.length)) throw new RelayError('ENVELOPE_NOT_PADDED', `length ${padded.length} is not a bucket`)
  let end = padded.length - 1
  while (end >= 0 && padded[end] === 0) end--
  if (end < 0 || padded[end] !== 0x80) throw new RelayError('ENVELOPE_NOT_PADDED', 'missing 0x80 padding marker')
  return padded.slice(0, end)
}
