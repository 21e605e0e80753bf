import type { Sodium } from '../../../../src/main/core/crypto/sodium'

/**
 * Builds a real "invisible salamander" for XChaCha20-Poly1305 (RFC 8439
 * section 2.8 AEAD construction with the XChaCha20 nonce extension): one
 * ciphertext + tag that authenticates under two different keys, found by
 * solving the two Poly1305 polynomials for one free ciphertext block
 * (Len, Grubbs, Ristenpart, "Partitioning Oracle Attacks", USENIX Sec 2021,
 * section 3). Test-only attacker code: it exists to prove the attack is real
 * against the raw AEAD and that Tessera's attachment format rejects it.
 */

const P = (1n << 130n) - 5n
const TWO_128 = 1n << 128n

function leToBigInt(bytes: Uint8Array): bigint {
  let value = 0n
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i] ?? 0)
  return value
}

function bigIntToLe(value: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length)
  for (let i = 0; i < length; i++) {
    out[i] = Number(value & 0xffn)
    value >>= 8n
  }
  return out
}

function modPow(base: bigint, exponent: bigint): bigint {
  let result = 1n
  base %= P
  while (exponent > 0n) {
    if (exponent & 1n) result = (result * base) % P
    base = (base * base) % P
    exponent >>= 1n
  }
  return result
}

const mod = (v: bigint): bigint => ((v % P) + P) % P
const inverse = (v: bigint): bigint => modPow(mod(v), P - 2n)

/** Poly1305 one-time key (r clamped per RFC 8439 2.5, s) for an XChaCha20 key and nonce. */
function polyKey(sodium: Sodium, key: Uint8Array, nonce: Uint8Array): { r: bigint; s: bigint } {
  const otk = sodium.crypto_stream_xchacha20_xor(new Uint8Array(32), nonce, key)
  const rBytes = otk.slice(0, 16)
  for (const i of [3, 7, 11, 15]) rBytes[i] = (rBytes[i] ?? 0) & 15
  for (const i of [4, 8, 12]) rBytes[i] = (rBytes[i] ?? 0) & 252
  return { r: leToBigInt(rBytes), s: leToBigInt(otk.slice(16, 32)) }
}

/** The Poly1305 coefficients of the AEAD's MAC input (AD, ciphertext, lengths; all 16-byte padded). */
function coefficients(ad: Uint8Array, ciphertext: Uint8Array): bigint[] {
  const blocks: bigint[] = []
  const pushPadded = (data: Uint8Array): void => {
    for (let i = 0; i < data.length; i += 16) {
      const block = new Uint8Array(16)
      block.set(data.subarray(i, i + 16))
      blocks.push(leToBigInt(block) + TWO_128)
    }
  }
  pushPadded(ad)
  pushPadded(ciphertext)
  const lengths = new Uint8Array(16)
  lengths.set(bigIntToLe(BigInt(ad.length), 8), 0)
  lengths.set(bigIntToLe(BigInt(ciphertext.length), 8), 8)
  blocks.push(leToBigInt(lengths) + TWO_128)
  return blocks
}

function polyEval(blocks: bigint[], r: bigint): bigint {
  let acc = 0n
  for (const c of blocks) acc = ((acc + c) * r) % P
  return acc
}

/**
 * Returns `ciphertext || tag` (libsodium's combined layout) of `blocks` 16-byte
 * blocks that decrypts under both key1 and key2 with the given nonce and AD.
 */
export function buildTwoKeyCiphertext(
  sodium: Sodium,
  key1: Uint8Array,
  key2: Uint8Array,
  nonce: Uint8Array,
  ad: Uint8Array,
  blockCount = 4
): Uint8Array {
  const k1 = polyKey(sodium, key1, nonce)
  const k2 = polyKey(sodium, key2, nonce)
  const freeIndex = Math.ceil(ad.length / 16) // the first ciphertext block
  for (let attempt = 0; attempt < 1000; attempt++) {
    const ciphertext = sodium.randombytes_buf(16 * blockCount)
    const blocks = coefficients(ad, ciphertext)
    const e = BigInt(blocks.length - freeIndex)
    const w1 = modPow(k1.r, e)
    const w2 = modPow(k2.r, e)
    blocks[freeIndex] = 0n
    const a1 = polyEval(blocks, k1.r)
    const a2 = polyEval(blocks, k2.r)
    // Want (a1 + y w1) - (a2 + y w2) = s2 - s1 over the integers; solve mod p and check.
    const y = mod((k2.s - k1.s - a1 + a2) * inverse(w1 - w2))
    const x = y - TWO_128
    if (x < 0n || x >= TWO_128) continue
    blocks[freeIndex] = y
    const t1 = (polyEval(blocks, k1.r) + k1.s) % TWO_128
    const t2 = (polyEval(blocks, k2.r) + k2.s) % TWO_128
    if (t1 !== t2) continue
    ciphertext.set(bigIntToLe(x, 16), 0)
    const out = new Uint8Array(ciphertext.length + 16)
    out.set(ciphertext, 0)
    out.set(bigIntToLe(t1, 16), ciphertext.length)
    return out
  }
  throw new Error('no two-key ciphertext found')
}
