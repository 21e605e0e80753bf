import { createHash } from 'node:crypto'
import { assertBytes } from '../primitives/bytes'

/**
 * Signal's NumericFingerprint (libsignal rust/protocol/src/fingerprint.rs;
 * signal.org/blog/safety-number-updates): for one party,
 *
 *   h_1     = SHA-512(u16be(hashVersion) || key || stableId || key)
 *   h_{i+1} = SHA-512(h_i || key)              until i = iterations
 *   digits  = 6 x (first 30 bytes of h in 5-byte big-endian chunks mod 100000, 5 digits)
 *
 * The two 30-digit halves are sorted so both parties display the same 60
 * digits. This module is the algorithm only, generic over the key encoding so
 * tests can cross-check it against libsignal with Signal's own key encoding;
 * safety-number.ts applies it to Tessera account keys.
 */

export const SIGNAL_FINGERPRINT_ITERATIONS = 5200
/** Signal hashes a fixed u16 0x0000 first ("FINGERPRINT_VERSION" in the Java original). */
export const SIGNAL_HASH_VERSION = 0

/** The full 64-byte iterated hash for one party. */
export function iteratedFingerprintHash(
  hashVersion: number,
  encodedKey: Uint8Array,
  stableId: Uint8Array,
  iterations: number
): Uint8Array {
  assertBytes(encodedKey, undefined, 'encodedKey')
  assertBytes(stableId, undefined, 'stableId')
  if (!Number.isInteger(hashVersion) || hashVersion < 0 || hashVersion > 0xffff) throw new RangeError('hashVersion must be a u16')
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > 1_000_000) throw new RangeError('iterations out of range')
  const version = Uint8Array.of(hashVersion >> 8, hashVersion & 0xff)
  let hash: Uint8Array = createHash('sha512').update(version).update(encodedKey).update(stableId).update(encodedKey).digest()
  for (let i = 1; i < iterations; i++) {
    hash = createHash('sha512').update(hash).update(encodedKey).digest()
  }
  return new Uint8Array(hash.buffer, hash.byteOffset, hash.byteLength)
}

/** 30 decimal digits from the first 30 bytes: six 40-bit big-endian chunks, each mod 100,000. */
export function thirtyDigits(hash: Uint8Array): string {
  assertBytes(hash, undefined, 'hash')
  if (hash.length < 30) throw new RangeError('hash must be at least 30 bytes')
  let out = ''
  for (let chunk = 0; chunk < 6; chunk++) {
    let value = 0
    for (let i = 0; i < 5; i++) value = value * 256 + (hash[chunk * 5 + i] as number)
    out += String(value % 100_000).padStart(5, '0')
  }
  return out
}

/** The 60-digit display string: the two halves in ascending order, so it is the same on both sides. */
export function combineDisplay(localDigits: string, remoteDigits: string): string {
  return localDigits < remoteDigits ? localDigits + remoteDigits : remoteDigits + localDigits
}
