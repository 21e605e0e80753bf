import { createHmac } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadSodium } from '../../../../src/main/core/crypto/sodium'
import { hkdfSha256 } from '../../../../src/main/core/crypto/primitives/hkdf'
import { hmacSha256 } from '../../../../src/main/core/crypto/primitives/hmac'
import { x25519, x25519PublicKey } from '../../../../src/main/core/crypto/primitives/x25519'
import { ed25519KeyPairFromSeed, ed25519Sign, ed25519Verify } from '../../../../src/main/core/crypto/primitives/ed25519'
import { aeadDecrypt, aeadEncrypt } from '../../../../src/main/core/crypto/primitives/aead'
import { kdfChain } from '../../../../src/main/core/crypto/ratchet/kdf'
import { fromHex, toHex } from '../../../../src/main/core/crypto/primitives/bytes'

const range = (from: number, to: number) => Uint8Array.from({ length: to - from + 1 }, (_, i) => from + i)
const ascii = (text: string) => new TextEncoder().encode(text)

beforeAll(async () => {
  await loadSodium()
})

describe('HKDF-SHA256: RFC 5869 appendix A', () => {
  it('A.1 basic test case', () => {
    const okm = hkdfSha256(new Uint8Array(22).fill(0x0b), range(0x00, 0x0c), range(0xf0, 0xf9), 42)
    expect(toHex(okm)).toBe('3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865')
  })

  it('A.2 longer inputs and outputs', () => {
    const okm = hkdfSha256(range(0x00, 0x4f), range(0x60, 0xaf), range(0xb0, 0xff), 82)
    expect(toHex(okm)).toBe(
      'b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87'
    )
  })

  it('A.3 zero-length salt and info', () => {
    const okm = hkdfSha256(new Uint8Array(22).fill(0x0b), new Uint8Array(0), new Uint8Array(0), 42)
    expect(toHex(okm)).toBe('8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8')
  })

  it('rejects output lengths outside 1..255*32 with a RangeError', () => {
    expect(() => hkdfSha256(new Uint8Array(32), new Uint8Array(0), new Uint8Array(0), 255 * 32 + 1)).toThrow(RangeError)
    expect(() => hkdfSha256(new Uint8Array(32), new Uint8Array(0), new Uint8Array(0), 0)).toThrow(RangeError)
  })
})

describe('HMAC-SHA256: RFC 4231 section 4.2 (test case 1)', () => {
  it('matches', () => {
    expect(toHex(hmacSha256(new Uint8Array(20).fill(0x0b), ascii('Hi There')))).toBe('b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7')
  })
})

describe('X25519: RFC 7748', () => {
  it('section 5.2 test vectors', () => {
    expect(toHex(x25519(fromHex('a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4'), fromHex('e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c')) as Uint8Array)).toBe(
      'c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552'
    )
    expect(toHex(x25519(fromHex('4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d'), fromHex('e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493')) as Uint8Array)).toBe(
      '95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957'
    )
  })

  it('section 5.2 iterated: 1 and 1,000 iterations from k = u = 9', () => {
    let k: Uint8Array = new Uint8Array(32)
    k[0] = 9
    let u: Uint8Array = k.slice()
    const results: string[] = []
    for (let i = 1; i <= 1000; i++) {
      const next = x25519(k, u) as Uint8Array
      u = k
      k = next
      if (i === 1 || i === 1000) results.push(toHex(k))
    }
    expect(results).toEqual(['422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079', '684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51'])
  })

  it('section 6.1 Diffie-Hellman', () => {
    const alicePrivate = fromHex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a')
    const bobPrivate = fromHex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb')
    const alicePublic = x25519PublicKey(alicePrivate)
    const bobPublic = x25519PublicKey(bobPrivate)
    expect(toHex(alicePublic)).toBe('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a')
    expect(toHex(bobPublic)).toBe('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f')
    const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742'
    expect(toHex(x25519(alicePrivate, bobPublic) as Uint8Array)).toBe(shared)
    expect(toHex(x25519(bobPrivate, alicePublic) as Uint8Array)).toBe(shared)
  })

  it('rejects a low-order point (all-zero output) with null, not an exception', () => {
    const alicePrivate = fromHex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a')
    expect(x25519(alicePrivate, new Uint8Array(32))).toBeNull()
    const one = new Uint8Array(32)
    one[0] = 1
    expect(x25519(alicePrivate, one)).toBeNull()
  })
})

describe('Ed25519: RFC 8032 section 7.1', () => {
  const cases = [
    {
      name: 'TEST 1',
      secret: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
      public: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
      message: '',
      signature: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b'
    },
    {
      name: 'TEST 2',
      secret: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
      public: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
      message: '72',
      signature: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00'
    },
    {
      name: 'TEST 3',
      secret: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
      public: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
      message: 'af82',
      signature: '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a'
    }
  ]
  it.each(cases)('$name', (vector) => {
    const pair = ed25519KeyPairFromSeed(fromHex(vector.secret))
    expect(toHex(pair.publicKey)).toBe(vector.public)
    const signature = ed25519Sign(pair.secretKey, fromHex(vector.message))
    expect(toHex(signature)).toBe(vector.signature)
    expect(ed25519Verify(pair.publicKey, fromHex(vector.message), signature)).toBe(true)
    const flipped = signature.slice()
    flipped[0] = (flipped[0] as number) ^ 1
    expect(ed25519Verify(pair.publicKey, fromHex(vector.message), flipped)).toBe(false)
  })
})

describe('XChaCha20-Poly1305: draft-irtf-cfrg-xchacha-03 appendix A.3.1', () => {
  const plaintext = ascii("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.")
  const ad = fromHex('50515253c0c1c2c3c4c5c6c7')
  const key = range(0x80, 0x9f)
  const nonce = range(0x40, 0x57)
  const expected =
    'bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff921f9664c97637da9768812f615c68b13b52e' +
    'c0875924c1c7987947deafd8780acf49'
  it('encrypts to the published ciphertext and tag, and decrypts back', () => {
    const sealed = aeadEncrypt(key, nonce, plaintext, ad)
    expect(toHex(sealed)).toBe(expected)
    expect(aeadDecrypt(key, nonce, sealed, ad)).toEqual(plaintext)
  })
  it('returns null when the AD, tag or ciphertext changes', () => {
    const sealed = fromHex(expected)
    expect(aeadDecrypt(key, nonce, sealed, fromHex('50515253c0c1c2c3c4c5c6c8'))).toBeNull()
    const badTag = sealed.slice()
    badTag[badTag.length - 1] = (badTag[badTag.length - 1] as number) ^ 0x80
    expect(aeadDecrypt(key, nonce, badTag, ad)).toBeNull()
    expect(aeadDecrypt(key, nonce, sealed.subarray(0, 10), ad)).toBeNull()
  })
})

describe('KDF_CK: libsignal rust/protocol/src/ratchet/keys.rs test_chain_key_derivation', () => {
  it('HMAC(ck, 0x02) is the next chain key and HKDF(HMAC(ck, 0x01), "WhisperMessageKeys") the message keys', () => {
    const seed = fromHex('8ab72d6f4cc5ac0d387eaf463378ddb28edd07385b1cb01250c715982e7ad48f')
    const step = kdfChain(seed)
    expect(toHex(step.chainKey)).toBe('28e8f8fee54b801eef7c5cfb2f17f32c7b334485bbb70fac6ec10342a246d15d')
    // libsignal expands the message key seed with HKDF (no salt), 80 bytes = cipher key || mac key || iv.
    const keys = hkdfSha256(step.messageKey, new Uint8Array(0), ascii('WhisperMessageKeys'), 80)
    expect(toHex(keys.subarray(0, 32))).toBe('bf51e9d75e0e31031051f82a2491ffc084fa298b7793bd9db620056febf45217')
    expect(toHex(keys.subarray(32, 64))).toBe('c6c77d6a73a354337a56435e34607dfe48e3ace14e77314dc6abc172e7a7030b')
  })
})

describe('large inputs take the libsodium wrappers and agree with the direct path', () => {
  it('XChaCha20-Poly1305 and HMAC round trip across the 64 KiB direct-call limit', () => {
    const key = range(0x80, 0x9f)
    const nonce = range(0x40, 0x57)
    for (const size of [0, 1, 100, 32_000, 40_000, 200_000]) {
      const plaintext = new Uint8Array(size).map((_, i) => i & 0xff)
      const sealed = aeadEncrypt(key, nonce, plaintext, ascii('ad'))
      expect(sealed.length).toBe(size + 16)
      expect(aeadDecrypt(key, nonce, sealed, ascii('ad'))).toEqual(plaintext)
      const tampered = sealed.slice()
      tampered[0] = (tampered[0] as number) ^ 1
      expect(aeadDecrypt(key, nonce, tampered, ascii('ad'))).toBeNull()
      // Our HMAC (libsodium, direct or wrapped, for 32-byte keys) against OpenSSL's through node:crypto.
      expect(toHex(hmacSha256(key, plaintext))).toBe(createHmac('sha256', key).update(plaintext).digest('hex'))
    }
  })
})
