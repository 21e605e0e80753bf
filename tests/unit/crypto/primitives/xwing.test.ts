import { createHash, randomBytes as nodeRandomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadSodium, type Sodium } from '../../../../src/main/core/crypto/sodium'
import { fromHex, toHex } from '../../../../src/main/core/crypto/primitives/bytes'
import {
  generateXWingKeyPair,
  xwingDecapsulate,
  xwingEncapsulate,
  xwingEncapsulateDerand,
  xwingKeyPairFromSeed
} from '../../../../src/main/core/crypto/primitives/xwing'

/**
 * Tessera composes X-Wing from ML-KEM-768 (libsodium wasm), X25519 (native
 * libsodium) and SHAKE256/SHA3-256 (libsodium wasm). It must be the very
 * same function as libsodium's crypto_kem_xwing_* (stored keys, prekeys and
 * sessions depend on it) and as draft-connolly-cfrg-xwing-kem-10.
 */
let sodium: Sodium
beforeAll(async () => {
  sodium = await loadSodium()
})

interface DraftVector {
  seed: string
  pk: string
  eseed: string
  ct: string
  ss: string
}
const draft = JSON.parse(readFileSync(join(process.cwd(), 'tests/vectors/xwing/draft-10-appendix-c.json'), 'utf8')) as { vectors: DraftVector[] }
const random = (length: number) => new Uint8Array(nodeRandomBytes(length))

describe('X-Wing: draft-connolly-cfrg-xwing-kem-10 Appendix C', () => {
  it('has the three vectors', () => {
    expect(draft.vectors).toHaveLength(3)
  })

  it.each(draft.vectors.map((vector, index) => [index, vector] as const))(
    'vector %i: GenerateKeyPairDerand (5.2.1), EncapsulateDerand (5.4.1), Decapsulate (5.5)',
    (_index, vector) => {
      const pair = xwingKeyPairFromSeed(fromHex(vector.seed))
      expect(toHex(pair.publicKey)).toBe(vector.pk)
      expect(toHex(pair.secretKey)).toBe(vector.seed)
      const encapsulated = xwingEncapsulateDerand(fromHex(vector.pk), fromHex(vector.eseed))
      expect(toHex(encapsulated.ciphertext)).toBe(vector.ct)
      expect(toHex(encapsulated.sharedSecret)).toBe(vector.ss)
      expect(toHex(xwingDecapsulate(fromHex(vector.ct), fromHex(vector.seed)))).toBe(vector.ss)
    }
  )
})

describe('X-Wing: byte-identical to libsodium crypto_kem_xwing_* over random inputs', () => {
  const ROUNDS = 200

  it(`key generation, deterministic encapsulation and decapsulation agree for ${ROUNDS} random seeds`, () => {
    for (let round = 0; round < ROUNDS; round++) {
      const seed = random(32)
      const eseed = random(64)
      const ours = xwingKeyPairFromSeed(seed)
      const theirs = sodium.crypto_kem_xwing_seed_keypair(seed)
      expect(toHex(ours.publicKey), `round ${round}`).toBe(toHex(theirs.publicKey))
      expect(toHex(ours.secretKey)).toBe(toHex(theirs.privateKey))

      const encapsulated = xwingEncapsulateDerand(ours.publicKey, eseed)
      const reference = sodium.crypto_kem_xwing_enc_deterministic(theirs.publicKey, eseed)
      expect(toHex(encapsulated.ciphertext), `round ${round}`).toBe(toHex(reference.ciphertext))
      expect(toHex(encapsulated.sharedSecret), `round ${round}`).toBe(toHex(reference.sharedSecret))
      expect(toHex(xwingDecapsulate(encapsulated.ciphertext, seed))).toBe(toHex(reference.sharedSecret))
    }
  })

  it('implicit rejection agrees too: tampered ML-KEM ciphertexts and random ciphertexts decapsulate alike', () => {
    for (let round = 0; round < 50; round++) {
      const seed = random(32)
      const { publicKey } = xwingKeyPairFromSeed(seed)
      const tampered = xwingEncapsulate(publicKey).ciphertext.slice()
      tampered[round * 7] = (tampered[round * 7] as number) ^ (1 << round % 8)
      const garbage = random(1120)
      for (const ciphertext of [tampered, garbage]) {
        let theirs: string
        try {
          theirs = toHex(sodium.crypto_kem_xwing_dec(ciphertext, seed))
        } catch {
          theirs = 'rejected'
        }
        let ours: string
        try {
          ours = toHex(xwingDecapsulate(ciphertext, seed))
        } catch {
          ours = 'rejected'
        }
        expect(ours, `round ${round}`).toBe(theirs)
      }
    }
  })

  it('rejects what libsodium rejects: low-order X25519 keys and ciphertexts, ML-KEM keys failing the modulus check', () => {
    const seed = random(32)
    const { publicKey } = xwingKeyPairFromSeed(seed)
    const lowOrderKey = publicKey.slice()
    lowOrderKey.fill(0, 1184)
    const badMlKemKey = publicKey.slice()
    badMlKemKey.fill(0xff, 0, 1184)
    for (const key of [lowOrderKey, badMlKemKey]) {
      expect(() => sodium.crypto_kem_xwing_enc_deterministic(key, random(64))).toThrow()
      expect(() => xwingEncapsulateDerand(key, random(64))).toThrow(/X-Wing/)
    }
    const lowOrderCiphertext = xwingEncapsulate(publicKey).ciphertext.slice()
    lowOrderCiphertext.fill(0, 1088)
    expect(() => sodium.crypto_kem_xwing_dec(lowOrderCiphertext, seed)).toThrow()
    expect(() => xwingDecapsulate(lowOrderCiphertext, seed)).toThrow(/X-Wing/)
  })

  it('round-trips with fresh randomness and rejects wrong lengths with RangeError', () => {
    const pair = generateXWingKeyPair()
    const { ciphertext, sharedSecret } = xwingEncapsulate(pair.publicKey)
    expect(toHex(xwingDecapsulate(ciphertext, pair.secretKey))).toBe(toHex(sharedSecret))
    expect(() => xwingKeyPairFromSeed(new Uint8Array(31))).toThrow(RangeError)
    expect(() => xwingEncapsulateDerand(pair.publicKey, new Uint8Array(63))).toThrow(RangeError)
    expect(() => xwingDecapsulate(ciphertext.subarray(1), pair.secretKey)).toThrow(RangeError)
  })
})

describe('X-Wing secret hygiene', () => {
  /** True when `needle` occurs anywhere in the libsodium wasm heap. */
  function inWasmHeap(needle: Uint8Array): boolean {
    const heap = (sodium as unknown as { libsodium: { HEAPU8: Uint8Array } }).libsodium.HEAPU8
    return Buffer.from(heap.buffer, heap.byteOffset, heap.byteLength).indexOf(Buffer.from(needle)) !== -1
  }

  it('leaves neither the seed nor its expansion (ML-KEM d and z, X25519 secret) in the wasm heap', () => {
    // Never handed to libsodium's wrappers, which copy arguments into the heap and free them unzeroed.
    const seed = random(32)
    const expanded = new Uint8Array(createHash('shake256', { outputLength: 96 }).update(seed).digest())
    const pair = xwingKeyPairFromSeed(seed)
    const { ciphertext, sharedSecret } = xwingEncapsulate(pair.publicKey)
    expect(toHex(xwingDecapsulate(ciphertext, seed))).toBe(toHex(sharedSecret))
    const secrets = [seed, expanded.subarray(0, 32), expanded.subarray(32, 64), expanded.subarray(64, 96), sharedSecret]
    expect(secrets.map(inWasmHeap)).toEqual(secrets.map(() => false))
    // The check can fail: libsodium's own wrapper leaves the seed it was given in freed, unzeroed heap.
    sodium.crypto_kem_xwing_seed_keypair(seed)
    expect(inWasmHeap(seed)).toBe(true)
  })
})
