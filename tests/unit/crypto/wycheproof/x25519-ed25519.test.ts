import { beforeAll, describe, expect, it } from 'vitest'
import { loadSodium } from '../../../../src/main/core/crypto/sodium'
import { x25519 } from '../../../../src/main/core/crypto/primitives/x25519'
import { ed25519Verify } from '../../../../src/main/core/crypto/primitives/ed25519'
import { allTests, hex, loadWycheproof, toHexString } from './load'

beforeAll(async () => {
  await loadSodium()
})

describe('Wycheproof X25519 (RFC 7748) against our x25519()', () => {
  const file = loadWycheproof('x25519_test.json')
  const tests = allTests(file)

  it('covers every test of the file', () => {
    expect(tests.length).toBe(file.numberOfTests)
  })

  it('computes every shared secret, and rejects exactly the all-zero (low-order) ones', () => {
    let rejected = 0
    for (const { test } of tests) {
      const shared = x25519(hex(test.private), hex(test.public))
      if (test.shared === '00'.repeat(32)) {
        // RFC 7748 section 6.1: the all-zero output must be rejected (libsodium: "weak public key").
        expect(shared, `tcId ${test.tcId}`).toBeNull()
        expect(test.flags).toContain('ZeroSharedSecret')
        rejected++
      } else {
        // valid and acceptable (twist, non-canonical public keys) compute the RFC 7748 result.
        expect(shared && toHexString(shared), `tcId ${test.tcId}`).toBe(test.shared)
      }
    }
    expect(rejected).toBe(31)
  })
})

describe('Wycheproof Ed25519 verification (RFC 8032) against our ed25519Verify()', () => {
  const file = loadWycheproof('ed25519_test.json')
  const tests = allTests(file)

  it('covers every test of the file', () => {
    expect(tests.length).toBe(file.numberOfTests)
  })

  it.each(tests.map(({ group, test }) => [test.tcId, test.comment ?? '', group, test] as const))('tcId %i %s', (_id, _comment, group, test) => {
    const publicKey = hex((group.publicKey as { pk: string }).pk)
    expect(ed25519Verify(publicKey, hex(test.msg), hex(test.sig))).toBe(test.result === 'valid')
  })
})
