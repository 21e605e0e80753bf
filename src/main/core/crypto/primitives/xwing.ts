import { createHash } from 'node:crypto'
import { assertBytes, randomBytes, wipe, type RandomSource } from './bytes'
import { curve25519 } from './curve25519-backend'
import { sodium } from './sodium-sync'
import { rawExports, scratchRegion, type WasmHeap } from './wasm-scratch'

/**
 * X-Wing (draft-connolly-cfrg-xwing-kem-10): ML-KEM-768 + X25519 hybrid KEM,
 * byte-identical to libsodium 1.0.22's crypto_kem_xwing_* (which implement
 * the same draft) but composed here so that its X25519 half runs in native
 * libsodium (curve25519-backend.ts: sodium-native, 2.3x faster than wasm, where
 * it loads). ML-KEM-768 stays in
 * libsodium's wasm build, called directly in the zeroed scratch region
 * (wasm-scratch.ts), so the expanded ML-KEM decapsulation key never leaves
 * it. SHAKE256 and SHA3-256 come from node:crypto: libsodium's wasm SHA3
 * leaves its output in the wasm stack, unzeroed (the hygiene test found the
 * shared secret there); OpenSSL clears its contexts when they are freed.
 * tests/unit/crypto/primitives/xwing.test.ts checks the equivalence against
 * libsodium's own X-Wing and the draft's Appendix C vectors
 * (docs/decisions/0017-native-libsodium-x25519-ed25519.md).
 */
export const XWING_PUBLIC_KEY_BYTES = 1216
export const XWING_SECRET_KEY_BYTES = 32
export const XWING_CIPHERTEXT_BYTES = 1120
export const XWING_SHARED_SECRET_BYTES = 32
/** Encapsulation randomness: 32 bytes for ML-KEM's m and 32 for the X25519 ephemeral. */
export const XWING_ENCAPS_SEED_BYTES = 64

const MLKEM_PUBLIC_KEY_BYTES = 1184
const MLKEM_SECRET_KEY_BYTES = 2400
const MLKEM_CIPHERTEXT_BYTES = 1088
const X25519_BYTES = 32
const EXPANDED_BYTES = 96
/** XWingLabel (section 5.3): the 6 ASCII bytes \./ /^\ */
const XWING_LABEL = Uint8Array.of(0x5c, 0x2e, 0x2f, 0x2f, 0x5e, 0x5c)
/** Combiner input (section 5.3): ss_M || ss_X || ct_X || pk_X || XWingLabel. */
const COMBINER_BYTES = 4 * 32 + XWING_LABEL.length

// Scratch region layout (byte offsets). SEED_AT holds d || z for key
// generation, or m for encapsulation.
const SHARED_M_AT = 0
const SEED_AT = 32
const PK_M_AT = SEED_AT + 64
const SK_M_AT = PK_M_AT + MLKEM_PUBLIC_KEY_BYTES
const CT_M_AT = SK_M_AT + MLKEM_SECRET_KEY_BYTES
const SCRATCH_BYTES = CT_M_AT + MLKEM_CIPHERTEXT_BYTES

/** Raw export signatures as the libsodium-wrappers-sumo 0.8.4 wrappers call them (pointers into the heap). */
interface RawKem extends WasmHeap {
  _crypto_kem_mlkem768_seed_keypair(publicKey: number, secretKey: number, seed: number): number
  _crypto_kem_mlkem768_enc_deterministic(ciphertext: number, shared: number, publicKey: number, seed: number): number
  _crypto_kem_mlkem768_dec(shared: number, ciphertext: number, secretKey: number): number
}
const EXPORTS = [
  '_crypto_kem_mlkem768_seed_keypair',
  '_crypto_kem_mlkem768_enc_deterministic',
  '_crypto_kem_mlkem768_dec'
]
let raw: RawKem | null | undefined

/** The raw exports, or null: then libsodium's own crypto_kem_xwing_* wrappers (the reference) do the work. */
function rawKem(): RawKem | null {
  if (raw === undefined) raw = rawExports<RawKem>(sodium(), EXPORTS)
  return raw
}

function check(rc: number, what: string): void {
  if (rc !== 0) throw new Error(`X-Wing: ${what} failed`)
}

/**
 * expandDecapsulationKey (section 5.2): SHAKE256 of the seed to 96 bytes;
 * ML-KEM-768 KeyGen_internal(d, z) from the first 64, written to PK_M_AT and
 * SK_M_AT in the scratch region. Returns sk_X (the last 32 bytes) for the
 * caller to wipe; the rest of the expansion is wiped here.
 */
function expand(lib: RawKem, base: number, seed: Uint8Array): Uint8Array {
  const expanded = createHash('shake256', { outputLength: EXPANDED_BYTES }).update(seed).digest()
  try {
    lib.HEAPU8.set(expanded.subarray(0, 64), base + SEED_AT)
    check(lib._crypto_kem_mlkem768_seed_keypair(base + PK_M_AT, base + SK_M_AT, base + SEED_AT), 'ML-KEM-768 key generation')
    return new Uint8Array(expanded.subarray(64, EXPANDED_BYTES))
  } finally {
    expanded.fill(0)
  }
}

/** Combiner (section 5.3): SHA3-256(ss_M || ss_X || ct_X || pk_X || XWingLabel); ss_M is at SHARED_M_AT. */
function combine(lib: RawKem, base: number, sharedX: Uint8Array, ciphertextX: Uint8Array, publicX: Uint8Array): Uint8Array {
  const input = new Uint8Array(COMBINER_BYTES)
  input.set(lib.HEAPU8.subarray(base + SHARED_M_AT, base + SHARED_M_AT + 32))
  input.set(sharedX, 32)
  input.set(ciphertextX, 64)
  input.set(publicX, 96)
  input.set(XWING_LABEL, 128)
  const digest = createHash('sha3-256').update(input).digest()
  const shared = new Uint8Array(digest)
  digest.fill(0)
  input.fill(0)
  return shared
}

/** X25519 for X-Wing: libsodium refuses a low-order point, and so does its crypto_kem_xwing_* (it throws). */
function x25519Into(out: Uint8Array, secret: Uint8Array, point: Uint8Array): void {
  if (!curve25519().scalarmult(out, secret, point)) throw new Error('X-Wing: X25519 with a low-order point')
}

export interface XWingKeyPair {
  readonly publicKey: Uint8Array
  /** The 32-byte seed the draft defines as the decapsulation key. */
  readonly secretKey: Uint8Array
}

/** GenerateKeyPairDerand (section 5.2.1): the key pair of a 32-byte seed. */
export function xwingKeyPairFromSeed(seed: Uint8Array): XWingKeyPair {
  assertBytes(seed, XWING_SECRET_KEY_BYTES, 'seed')
  const lib = rawKem()
  if (!lib) {
    const pair = sodium().crypto_kem_xwing_seed_keypair(seed)
    return { publicKey: pair.publicKey, secretKey: pair.privateKey }
  }
  const base = scratchRegion(lib, SCRATCH_BYTES)
  let secretX: Uint8Array | undefined
  try {
    secretX = expand(lib, base, seed)
    const publicKey = new Uint8Array(XWING_PUBLIC_KEY_BYTES)
    publicKey.set(lib.HEAPU8.subarray(base + PK_M_AT, base + PK_M_AT + MLKEM_PUBLIC_KEY_BYTES))
    curve25519().scalarmultBase(publicKey.subarray(MLKEM_PUBLIC_KEY_BYTES), secretX)
    return { publicKey, secretKey: seed.slice() }
  } finally {
    wipe(secretX)
    lib.HEAPU8.fill(0, base, base + SCRATCH_BYTES)
  }
}

/** A fresh X-Wing key pair from a platform-random seed (or `random` for known-answer vectors). */
export function generateXWingKeyPair(random: RandomSource = randomBytes): XWingKeyPair {
  const seed = random(XWING_SECRET_KEY_BYTES)
  assertBytes(seed, XWING_SECRET_KEY_BYTES, 'random output')
  try {
    return xwingKeyPairFromSeed(seed)
  } finally {
    wipe(seed)
  }
}

export interface XWingEncapsulation {
  readonly ciphertext: Uint8Array
  readonly sharedSecret: Uint8Array
}

/**
 * EncapsulateDerand (section 5.4.1) with 64 bytes of `eseed`: ML-KEM's m is
 * eseed[0:32], the X25519 ephemeral secret eseed[32:64]. Throws, like
 * libsodium, on an ML-KEM key failing the FIPS 203 section 7.2 check or a
 * low-order X25519 key.
 */
export function xwingEncapsulateDerand(publicKey: Uint8Array, eseed: Uint8Array): XWingEncapsulation {
  assertBytes(publicKey, XWING_PUBLIC_KEY_BYTES, 'publicKey')
  assertBytes(eseed, XWING_ENCAPS_SEED_BYTES, 'eseed')
  const lib = rawKem()
  if (!lib) {
    const result = sodium().crypto_kem_xwing_enc_deterministic(publicKey, eseed)
    return { ciphertext: result.ciphertext, sharedSecret: result.sharedSecret }
  }
  const publicX = publicKey.subarray(MLKEM_PUBLIC_KEY_BYTES)
  const ephemeralX = eseed.subarray(32, 64)
  const base = scratchRegion(lib, SCRATCH_BYTES)
  const sharedX = new Uint8Array(X25519_BYTES)
  try {
    const heap = lib.HEAPU8
    heap.set(publicKey.subarray(0, MLKEM_PUBLIC_KEY_BYTES), base + PK_M_AT)
    heap.set(eseed.subarray(0, 32), base + SEED_AT)
    check(lib._crypto_kem_mlkem768_enc_deterministic(base + CT_M_AT, base + SHARED_M_AT, base + PK_M_AT, base + SEED_AT), 'ML-KEM-768 encapsulation')
    const ciphertext = new Uint8Array(XWING_CIPHERTEXT_BYTES)
    const ciphertextX = ciphertext.subarray(MLKEM_CIPHERTEXT_BYTES)
    curve25519().scalarmultBase(ciphertextX, ephemeralX)
    x25519Into(sharedX, ephemeralX, publicX)
    const sharedSecret = combine(lib, base, sharedX, ciphertextX, publicX)
    ciphertext.set(lib.HEAPU8.subarray(base + CT_M_AT, base + CT_M_AT + MLKEM_CIPHERTEXT_BYTES))
    return { ciphertext, sharedSecret }
  } finally {
    wipe(sharedX)
    lib.HEAPU8.fill(0, base, base + SCRATCH_BYTES)
  }
}

/** Encapsulates to `publicKey` with 64 platform-random bytes (or `random` for known-answer vectors). */
export function xwingEncapsulate(publicKey: Uint8Array, random: RandomSource = randomBytes): XWingEncapsulation {
  assertBytes(publicKey, XWING_PUBLIC_KEY_BYTES, 'publicKey')
  const eseed = random(XWING_ENCAPS_SEED_BYTES)
  assertBytes(eseed, XWING_ENCAPS_SEED_BYTES, 'random output')
  try {
    return xwingEncapsulateDerand(publicKey, eseed)
  } finally {
    wipe(eseed)
  }
}

/**
 * Decapsulate (section 5.5). X-Wing (like ML-KEM) uses implicit rejection: a
 * tampered ciphertext yields an unrelated shared secret, never an error, so
 * a later AEAD check is what detects tampering. A low-order X25519
 * ciphertext throws, as libsodium's does.
 */
export function xwingDecapsulate(ciphertext: Uint8Array, secretKey: Uint8Array): Uint8Array {
  assertBytes(ciphertext, XWING_CIPHERTEXT_BYTES, 'ciphertext')
  assertBytes(secretKey, XWING_SECRET_KEY_BYTES, 'secretKey')
  const lib = rawKem()
  if (!lib) return sodium().crypto_kem_xwing_dec(ciphertext, secretKey)
  const ciphertextX = ciphertext.subarray(MLKEM_CIPHERTEXT_BYTES)
  const base = scratchRegion(lib, SCRATCH_BYTES)
  const sharedX = new Uint8Array(X25519_BYTES)
  let secretX: Uint8Array | undefined
  try {
    secretX = expand(lib, base, secretKey)
    lib.HEAPU8.set(ciphertext.subarray(0, MLKEM_CIPHERTEXT_BYTES), base + CT_M_AT)
    check(lib._crypto_kem_mlkem768_dec(base + SHARED_M_AT, base + CT_M_AT, base + SK_M_AT), 'ML-KEM-768 decapsulation')
    const publicX = new Uint8Array(X25519_BYTES)
    curve25519().scalarmultBase(publicX, secretX)
    x25519Into(sharedX, secretX, ciphertextX)
    return combine(lib, base, sharedX, ciphertextX, publicX)
  } finally {
    wipe(secretX, sharedX)
    lib.HEAPU8.fill(0, base, base + SCRATCH_BYTES)
  }
}
