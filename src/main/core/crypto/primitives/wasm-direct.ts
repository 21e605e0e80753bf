import type { Sodium } from '../sodium'
import { rawExports, scratchRegion as region, type WasmHeap } from './wasm-scratch'

/**
 * Direct calls into libsodium's wasm exports for the ratchet's hottest small
 * operations (HMAC-SHA256 with 32-byte keys, XChaCha20-Poly1305). The JS
 * wrappers allocate, copy and free three or four heap buffers per call, which
 * costs more than the primitive itself on 100-byte messages. Here one scratch
 * region (wasm-scratch.ts) is reused and zeroed after every call, so no key
 * or plaintext stays in the wasm heap. Argument layouts follow the wrappers
 * in libsodium-wrappers-sumo 0.8.4 (u64 lengths passed as two i32 halves).
 * Measurements: docs/decisions/0015-crypto-benchmark.md.
 */
interface RawLibsodium extends WasmHeap {
  _crypto_auth_hmacsha256(out: number, input: number, lengthLow: number, lengthHigh: number, key: number): number
  _crypto_auth_hmacsha256_init(state: number, key: number, keyLength: number): number
  _crypto_auth_hmacsha256_update(state: number, input: number, lengthLow: number, lengthHigh: number): number
  _crypto_auth_hmacsha256_final(state: number, out: number): number
  _crypto_aead_xchacha20poly1305_ietf_encrypt(
    c: number, clenPointer: number, m: number, mlenLow: number, mlenHigh: number,
    ad: number, adlenLow: number, adlenHigh: number, nsec: number, npub: number, key: number
  ): number
  _crypto_aead_xchacha20poly1305_ietf_decrypt(
    m: number, mlenPointer: number, nsec: number, c: number, clenLow: number, clenHigh: number,
    ad: number, adlenLow: number, adlenHigh: number, npub: number, key: number
  ): number
}

const TAG_BYTES = 16
/** Larger inputs take the wrappers: the scratch region is never freed, so keep it small. */
const DIRECT_MAX_BYTES = 64 * 1024
const EXPORTS = [
  '_crypto_auth_hmacsha256',
  '_crypto_auth_hmacsha256_init',
  '_crypto_auth_hmacsha256_update',
  '_crypto_auth_hmacsha256_final',
  '_crypto_aead_xchacha20poly1305_ietf_encrypt',
  '_crypto_aead_xchacha20poly1305_ietf_decrypt'
]
let raw: RawLibsodium | null | undefined

function rawModule(sodium: Sodium): RawLibsodium | null {
  if (raw === undefined) raw = rawExports<RawLibsodium>(sodium, EXPORTS)
  return raw
}

/** HMAC-SHA256 with a 32-byte key, or null if the raw exports are unavailable. */
export function directHmacSha256(sodium: Sodium, key: Uint8Array, data: Uint8Array): Uint8Array | null {
  const lib = rawModule(sodium)
  if (!lib || data.length > DIRECT_MAX_BYTES) return null
  const base = region(lib, 64 + data.length)
  const heap = lib.HEAPU8 // read after any growth
  heap.set(key, base)
  heap.set(data, base + 64)
  lib._crypto_auth_hmacsha256(base + 32, base + 64, data.length, 0, base)
  const out = heap.slice(base + 32, base + 64)
  heap.fill(0, base, base + 64 + data.length)
  return out
}

/** crypto_auth_hmacsha256_state: two SHA-256 states (inner and outer), 208 bytes; room for alignment. */
const HMAC_STATE_BYTES = 256

/**
 * HMAC-SHA256 of several messages under one 32-byte key. The key's inner and
 * outer pads are hashed once (crypto_auth_hmacsha256_init) and the prepared
 * state copied per message: 2 SHA-256 compressions per short message instead
 * of 4. Null if the raw exports are unavailable.
 */
export function directHmacSha256Many(sodium: Sodium, key: Uint8Array, messages: readonly Uint8Array[]): Uint8Array[] | null {
  const lib = rawModule(sodium)
  let longest = 0
  for (const message of messages) longest = Math.max(longest, message.length)
  const used = 64 + 2 * HMAC_STATE_BYTES + longest
  if (!lib || used > DIRECT_MAX_BYTES) return null
  const base = region(lib, used)
  const keyAt = base
  const outAt = base + 32
  const stateAt = base + 64
  const workAt = stateAt + HMAC_STATE_BYTES
  const dataAt = workAt + HMAC_STATE_BYTES
  let heap = lib.HEAPU8
  heap.set(key, keyAt)
  lib._crypto_auth_hmacsha256_init(stateAt, keyAt, key.length)
  const outputs: Uint8Array[] = []
  for (const message of messages) {
    heap = lib.HEAPU8
    heap.copyWithin(workAt, stateAt, stateAt + HMAC_STATE_BYTES)
    heap.set(message, dataAt)
    lib._crypto_auth_hmacsha256_update(workAt, dataAt, message.length, 0)
    lib._crypto_auth_hmacsha256_final(workAt, outAt)
    outputs.push(lib.HEAPU8.slice(outAt, outAt + 32))
  }
  lib.HEAPU8.fill(0, base, base + used)
  return outputs
}

/**
 * HKDF-SHA256 (RFC 5869) with a 32-byte salt, entirely in the scratch
 * region: PRK = HMAC(salt, ikm) never leaves the wasm heap, and its pads are
 * hashed once for all Expand blocks. Null if unavailable.
 */
export function directHkdfSha256(sodium: Sodium, ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array | null {
  const lib = rawModule(sodium)
  const blocks = Math.ceil(length / 32)
  const used = 96 + 2 * HMAC_STATE_BYTES + Math.max(ikm.length, 32 + info.length + 1) + blocks * 32
  if (!lib || salt.length !== 32 || blocks > 255 || used > DIRECT_MAX_BYTES) return null
  const base = region(lib, used)
  const saltAt = base
  const prkAt = base + 32
  const stateAt = base + 96
  const workAt = stateAt + HMAC_STATE_BYTES
  const dataAt = workAt + HMAC_STATE_BYTES
  const okmAt = dataAt + Math.max(ikm.length, 32 + info.length + 1)
  let heap = lib.HEAPU8
  heap.set(salt, saltAt)
  heap.set(ikm, dataAt)
  lib._crypto_auth_hmacsha256(prkAt, dataAt, ikm.length, 0, saltAt)
  lib._crypto_auth_hmacsha256_init(stateAt, prkAt, 32)
  // T(i) = HMAC(PRK, T(i-1) || info || i); T(i-1) is read from the okm area (empty for T(1)).
  for (let i = 0; i < blocks; i++) {
    heap = lib.HEAPU8
    const previousLength = i === 0 ? 0 : 32
    if (i > 0) heap.copyWithin(dataAt, okmAt + (i - 1) * 32, okmAt + i * 32)
    heap.set(info, dataAt + previousLength)
    heap[dataAt + previousLength + info.length] = i + 1
    heap.copyWithin(workAt, stateAt, stateAt + HMAC_STATE_BYTES)
    lib._crypto_auth_hmacsha256_update(workAt, dataAt, previousLength + info.length + 1, 0)
    lib._crypto_auth_hmacsha256_final(workAt, okmAt + i * 32)
  }
  heap = lib.HEAPU8
  const okm = heap.slice(okmAt, okmAt + length)
  heap.fill(0, base, base + used)
  return okm
}

/** Bytes the associated data occupies: the parts concatenated, each u32-length-prefixed when `lengthPrefixed`. */
function adLength(parts: readonly Uint8Array[], lengthPrefixed: boolean): number {
  let total = 0
  for (const part of parts) total += part.length + (lengthPrefixed ? 4 : 0)
  return total
}

/** Lays the associated data out in the heap at `at` (docs/protocol.md section 0.2.2 for the prefixed form). */
function writeAd(heap: Uint8Array, at: number, parts: readonly Uint8Array[], lengthPrefixed: boolean): void {
  for (const part of parts) {
    if (lengthPrefixed) {
      const length = part.length
      heap[at] = length >>> 24
      heap[at + 1] = (length >>> 16) & 0xff
      heap[at + 2] = (length >>> 8) & 0xff
      heap[at + 3] = length & 0xff
      at += 4
    }
    heap.set(part, at)
    at += part.length
  }
}

/**
 * XChaCha20-Poly1305-IETF encrypt; ciphertext || tag is written into `out`
 * at `outOffset` (no intermediate buffers). The associated data is `adParts`
 * concatenated, each u32-length-prefixed when `lengthPrefixed`. Returns false
 * if the raw exports are unavailable or the input is too large.
 */
export function directAeadEncryptInto(
  sodium: Sodium,
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  adParts: readonly Uint8Array[],
  lengthPrefixed: boolean,
  out: Uint8Array,
  outOffset: number
): boolean {
  const lib = rawModule(sodium)
  const adBytes = adLength(adParts, lengthPrefixed)
  const used = 56 + adBytes + plaintext.length * 2 + TAG_BYTES
  if (!lib || used > DIRECT_MAX_BYTES) return false
  const base = region(lib, used)
  const adAt = base + 56
  const messageAt = adAt + adBytes
  const outAt = messageAt + plaintext.length
  const heap = lib.HEAPU8
  heap.set(key, base)
  heap.set(nonce, base + 32)
  writeAd(heap, adAt, adParts, lengthPrefixed)
  heap.set(plaintext, messageAt)
  const rc = lib._crypto_aead_xchacha20poly1305_ietf_encrypt(outAt, 0, messageAt, plaintext.length, 0, adAt, adBytes, 0, 0, base + 32, base)
  if (rc === 0) out.set(heap.subarray(outAt, outAt + plaintext.length + TAG_BYTES), outOffset)
  heap.fill(0, base, base + used)
  if (rc !== 0) throw new Error('XChaCha20-Poly1305 encryption failed')
  return true
}

/** XChaCha20-Poly1305-IETF encrypt (ciphertext || tag), or null if unavailable. */
export function directAeadEncrypt(sodium: Sodium, key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, ad: Uint8Array): Uint8Array | null {
  const out = new Uint8Array(plaintext.length + TAG_BYTES)
  return directAeadEncryptInto(sodium, key, nonce, plaintext, [ad], false, out, 0) ? out : null
}

/**
 * XChaCha20-Poly1305-IETF decrypt with the associated data laid out as in
 * directAeadEncryptInto; `undefined` if unavailable, null on authentication failure.
 */
export function directAeadDecryptParts(
  sodium: Sodium,
  key: Uint8Array,
  nonce: Uint8Array,
  sealed: Uint8Array,
  adParts: readonly Uint8Array[],
  lengthPrefixed: boolean
): Uint8Array | null | undefined {
  const lib = rawModule(sodium)
  const plainLength = sealed.length - TAG_BYTES
  const adBytes = adLength(adParts, lengthPrefixed)
  const used = 56 + adBytes + sealed.length + plainLength
  if (!lib || plainLength < 0 || used > DIRECT_MAX_BYTES) return undefined
  const base = region(lib, used)
  const adAt = base + 56
  const sealedAt = adAt + adBytes
  const outAt = sealedAt + sealed.length
  const heap = lib.HEAPU8
  heap.set(key, base)
  heap.set(nonce, base + 32)
  writeAd(heap, adAt, adParts, lengthPrefixed)
  heap.set(sealed, sealedAt)
  const rc = lib._crypto_aead_xchacha20poly1305_ietf_decrypt(outAt, 0, 0, sealedAt, sealed.length, 0, adAt, adBytes, 0, base + 32, base)
  const out = rc === 0 ? heap.slice(outAt, outAt + plainLength) : null
  heap.fill(0, base, base + used)
  return out
}

/** XChaCha20-Poly1305-IETF decrypt; `undefined` if unavailable, null on authentication failure. */
export function directAeadDecrypt(sodium: Sodium, key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, ad: Uint8Array): Uint8Array | null | undefined {
  return directAeadDecryptParts(sodium, key, nonce, sealed, [ad], false)
}
