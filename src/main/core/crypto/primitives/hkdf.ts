import { hkdfSync } from 'node:crypto'
import { assertBytes } from './bytes'

/** RFC 5869 section 2.3: L <= 255 * HashLen. */
export const HKDF_SHA256_MAX_LENGTH = 255 * 32

/**
 * HKDF-SHA256 (RFC 5869): Extract(salt, IKM) then Expand(PRK, info, L).
 * node:crypto's hkdfSync implements exactly RFC 5869 in native code; one call
 * replaces 2 + ceil(L/32) wasm HMACs (docs/decisions/0011-hmac-hkdf-node-crypto.md).
 * An empty salt means HashLen zero bytes (RFC 5869 section 2.2), which
 * HMAC's key padding makes identical to an empty key.
 */
export function hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  assertBytes(ikm, undefined, 'ikm')
  assertBytes(salt, undefined, 'salt')
  assertBytes(info, undefined, 'info')
  if (!Number.isInteger(length) || length < 1 || length > HKDF_SHA256_MAX_LENGTH) {
    throw new RangeError(`length must be 1..${HKDF_SHA256_MAX_LENGTH}`)
  }
  // node rejects info over 1024 bytes; every Tessera label is far shorter.
  if (info.length > 1024) throw new RangeError('info must be at most 1024 bytes')
  return new Uint8Array(hkdfSync('sha256', ikm, salt, info, length))
}
