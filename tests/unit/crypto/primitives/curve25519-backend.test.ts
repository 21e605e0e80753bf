import { randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadSodium } from '../../../../src/main/core/crypto/sodium'
import {
  curve25519,
  nativeBackend,
  selectBackend,
  wasmBackend,
  type Curve25519Backend
} from '../../../../src/main/core/crypto/primitives/curve25519-backend'
import { toHex } from '../../../../src/main/core/crypto/primitives/bytes'
import { allTests, hex, loadWycheproof, toHexString } from '../wycheproof/load'

const binding = createRequire(import.meta.url)('sodium-native') as Parameters<typeof nativeBackend>[0]
const native = nativeBackend(binding)
const backends: [string, Curve25519Backend][] = [
  ['sodium-native', native],
  ['libsodium-wasm', wasmBackend]
]
const bytes = (length: number) => new Uint8Array(randomBytes(length))

beforeAll(async () => {
  await loadSodium()
})

describe('backend selection', () => {
  it('runs on sodium-native in this process (its linux-x64 prebuild loads here)', () => {
    expect(curve25519().name).toBe('sodium-native')
  })

  it('falls back to libsodium wasm when the native binary cannot be loaded', () => {
    const backend = selectBackend(() => {
      throw new Error("Cannot find addon '.' imported from sodium-native")
    })
    expect(backend).toBe(wasmBackend)
  })
})

describe.each(backends)('%s backend', (_name, backend) => {
  it('passes Wycheproof X25519: every shared secret, all-zero outputs rejected with a zeroed output', () => {
    let rejected = 0
    for (const { test } of allTests(loadWycheproof('x25519_test.json'))) {
      const out = new Uint8Array(32).fill(0xaa)
      const ok = backend.scalarmult(out, hex(test.private), hex(test.public))
      if (test.shared === '00'.repeat(32)) {
        expect([ok, toHexString(out)], `tcId ${test.tcId}`).toEqual([false, '00'.repeat(32)])
        rejected++
      } else {
        expect([ok, toHexString(out)], `tcId ${test.tcId}`).toEqual([true, test.shared])
      }
    }
    expect(rejected).toBe(31)
  })

  it('passes Wycheproof Ed25519 verification', () => {
    const mismatches: number[] = []
    for (const { group, test } of allTests(loadWycheproof('ed25519_test.json'))) {
      const publicKey = hex((group.publicKey as { pk: string }).pk)
      const signature = hex(test.sig)
      const verdict = signature.length === 64 && backend.verify(signature, hex(test.msg), publicKey)
      if (verdict !== (test.result === 'valid')) mismatches.push(test.tcId)
    }
    expect(mismatches).toEqual([])
  })
})

describe('the two backends agree byte for byte', () => {
  it('on key generation, DH, signing and verification with random keys', () => {
    const results = backends.map(() => [] as string[])
    const inputs = Array.from({ length: 50 }, () => ({ secret: bytes(32), point: bytes(32), seed: bytes(32), message: bytes(100) }))
    backends.forEach(([, backend], index) => {
      for (const { secret, point, seed, message } of inputs) {
        const base = new Uint8Array(32)
        backend.scalarmultBase(base, secret)
        const shared = new Uint8Array(32)
        const ok = backend.scalarmult(shared, secret, point)
        const publicKey = new Uint8Array(32)
        const secretKey = new Uint8Array(64)
        backend.signSeedKeypair(publicKey, secretKey, seed)
        const signature = new Uint8Array(64)
        backend.sign(signature, message, secretKey)
        const flipped = message.slice()
        flipped[0] = (flipped[0] as number) ^ 1
        results[index]?.push(
          [toHex(base), ok, toHex(shared), toHex(publicKey), toHex(secretKey), toHex(signature), backend.verify(signature, message, publicKey), backend.verify(signature, flipped, publicKey)].join(' ')
        )
      }
    })
    expect(results[1]).toEqual(results[0])
    expect(results[0]?.every((line) => line.endsWith(' true false'))).toBe(true)
  })
})
