import { beforeAll, describe, expect, it } from 'vitest'
import { loadSodium, type Sodium } from '../../../../src/main/core/crypto/sodium'
import { aeadDecrypt, aeadEncrypt } from '../../../../src/main/core/crypto/primitives/aead'
import { concatBytes } from '../../../../src/main/core/crypto/primitives/bytes'
import { allTests, hex, loadWycheproof, toHexString } from './load'

let sodium: Sodium
beforeAll(async () => {
  sodium = await loadSodium()
})

describe('Wycheproof XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha) against aeadEncrypt/aeadDecrypt', () => {
  const file = loadWycheproof('xchacha20_poly1305_test.json')
  // Our API only takes 24-byte nonces (the construction's nonce size); other sizes are out of scope.
  const tests = allTests(file).filter(({ test }) => (test.iv as string).length === 48)

  it('keeps most of the file after dropping non-24-byte nonces', () => {
    expect(tests.length).toBeGreaterThan(file.numberOfTests * 0.9)
  })

  it.each(tests.map(({ test }) => [test.tcId, test.comment ?? '', test] as const))('tcId %i %s', (_id, _comment, test) => {
    const key = hex(test.key)
    const nonce = hex(test.iv)
    const ad = hex(test.aad)
    const sealed = concatBytes(hex(test.ct), hex(test.tag))
    const opened = aeadDecrypt(key, nonce, sealed, ad)
    if (test.result === 'valid') {
      expect(opened && toHexString(opened)).toBe(test.msg)
      expect(toHexString(aeadEncrypt(key, nonce, hex(test.msg), ad))).toBe(toHexString(sealed))
    } else {
      expect(opened).toBeNull()
    }
  })
})

describe('Wycheproof ML-KEM-768 (FIPS 203) against libsodium crypto_kem_mlkem768_*', () => {
  // What libsodium's API can express: KeyGen from the 64-byte seed (d || z),
  // comparison of the encapsulation key, and Decaps of the given ciphertext
  // (including implicit rejection). Encaps with the test's m is not covered:
  // the vectors give no m. X-Wing uses this ML-KEM inside.
  const file = loadWycheproof('mlkem_768_test.json')
  const tests = allTests(file)

  it('covers every test of the file', () => {
    expect(tests.length).toBe(file.numberOfTests)
  })

  it.each(tests.map(({ test }) => [test.tcId, test.comment ?? '', test] as const))('tcId %i %s', (_id, _comment, test) => {
    const attempt = (): Uint8Array | 'mismatch' => {
      const pair = sodium.crypto_kem_mlkem768_seed_keypair(hex(test.seed))
      if (test.ek !== undefined && toHexString(pair.publicKey) !== test.ek) return 'mismatch'
      return sodium.crypto_kem_mlkem768_dec(hex(test.c), pair.privateKey)
    }
    if (test.result === 'valid') {
      const shared = attempt()
      expect(shared instanceof Uint8Array && toHexString(shared)).toBe(test.K)
    } else {
      let outcome: Uint8Array | 'mismatch' | 'rejected'
      try {
        outcome = attempt()
      } catch {
        outcome = 'rejected'
      }
      expect(outcome instanceof Uint8Array && toHexString(outcome) === test.K).toBe(false)
    }
  })
})
