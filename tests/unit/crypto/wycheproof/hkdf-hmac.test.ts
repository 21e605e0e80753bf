import { beforeAll, describe, expect, it } from 'vitest'
import { loadSodium } from '../../../../src/main/core/crypto/sodium'
import { hkdfSha256 } from '../../../../src/main/core/crypto/primitives/hkdf'
import { hmacSha256 } from '../../../../src/main/core/crypto/primitives/hmac'
import { allTests, hex, loadWycheproof, toHexString } from './load'

// With libsodium loaded, 32-byte keys take its one-shot HMAC and other lengths node:crypto: both engines are checked.
beforeAll(async () => {
  await loadSodium()
})

describe('Wycheproof HKDF-SHA256 against our hkdfSha256 (RFC 5869)', () => {
  const file = loadWycheproof('hkdf_sha256_test.json')
  const tests = allTests(file)

  it('covers every test of the file', () => {
    expect(tests.length).toBe(file.numberOfTests)
  })

  it.each(tests.map(({ test }) => [test.tcId, test] as const))('tcId %i', (_id, test) => {
    const run = () => hkdfSha256(hex(test.ikm), hex(test.salt), hex(test.info), test.size as number)
    if (test.result === 'valid') {
      expect(toHexString(run())).toBe(test.okm)
    } else {
      // The only invalid cases ask for more than 255 * HashLen bytes.
      expect(run).toThrow(RangeError)
    }
  })
})

describe('Wycheproof HMAC-SHA256 against our hmacSha256 (RFC 2104 / RFC 4231)', () => {
  const file = loadWycheproof('hmac_sha256_test.json')
  const tests = allTests(file)

  it('covers every test of the file', () => {
    expect(tests.length).toBe(file.numberOfTests)
  })

  it.each(tests.map(({ group, test }) => [test.tcId, group.tagSize as number, test] as const))('tcId %i (tag %i bits)', (_id, tagBits, test) => {
    const tag = hmacSha256(hex(test.key), hex(test.msg))
    // Truncated-tag groups compare the leftmost tagSize bits (RFC 2104 section 5).
    const matches = toHexString(tag.subarray(0, tagBits / 8)) === test.tag
    expect(matches).toBe(test.result === 'valid')
  })
})
