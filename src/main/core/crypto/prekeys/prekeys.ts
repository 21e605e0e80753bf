import { ByteReader, ByteWriter, DecodeError } from '../primitives/byte-io'
import { assertBytes, concatBytes, randomBytes, type RandomSource } from '../primitives/bytes'
import { ED25519_SIGNATURE_BYTES, ed25519Sign, ed25519Verify } from '../primitives/ed25519'
import { KeyType, PROTOCOL_VERSION, StructureType, decodePublicKey, encodePublicKey, encodedKeyLength } from '../primitives/encoding'
import { LABEL_KEM_PREKEY, LABEL_SIGNED_PREKEY } from '../primitives/labels'
import { generateX25519KeyPair } from '../primitives/x25519'
import { generateXWingKeyPair } from '../primitives/xwing'
import type { DeviceKeys } from '../identity/device-keys'

/**
 * Prekeys, docs/protocol.md section 2.1 (PQXDH spec section 3.2 "Publishing keys"):
 *   signed:   0x01 || 0x22 || u32 keyId || Enc(X25519) || u64 createdAt || sig(64)
 *   one-time: 0x01 || 0x23 || u32 keyId || Enc(X25519)
 *   KEM:      0x01 || 0x24 || u32 keyId || u8 kind || Enc(X-Wing) || u64 createdAt || sig(64)
 * Signatures are by the device's certified Ed25519 signing key over the
 * label ("Tessera v1 signed prekey" / "Tessera v1 kem prekey") || preceding bytes.
 * One-time X25519 prekeys are unsigned, as in X3DH/PQXDH.
 */
export const KemPreKeyKind = { LastResort: 0x01, OneTime: 0x02 } as const
export type KemPreKeyKind = (typeof KemPreKeyKind)[keyof typeof KemPreKeyKind]

export interface SignedPreKey {
  readonly keyId: number
  readonly publicKey: Uint8Array
  readonly createdAt: number
  readonly bytes: Uint8Array
}
export interface OneTimePreKey {
  readonly keyId: number
  readonly publicKey: Uint8Array
  readonly bytes: Uint8Array
}
export interface KemPreKey {
  readonly keyId: number
  readonly kind: KemPreKeyKind
  readonly publicKey: Uint8Array
  readonly createdAt: number
  readonly bytes: Uint8Array
}
/** A public prekey with the secret its owner keeps. */
export interface WithSecret<T> {
  readonly public: T
  readonly secretKey: Uint8Array
}

const X25519_ENC = encodedKeyLength(KeyType.X25519)
const XWING_ENC = encodedKeyLength(KeyType.XWing)
export const SIGNED_PREKEY_BYTES = 2 + 4 + X25519_ENC + 8 + ED25519_SIGNATURE_BYTES
export const ONE_TIME_PREKEY_BYTES = 2 + 4 + X25519_ENC
export const KEM_PREKEY_BYTES = 2 + 4 + 1 + XWING_ENC + 8 + ED25519_SIGNATURE_BYTES

function assertKeyId(keyId: number): void {
  if (!Number.isInteger(keyId) || keyId < 0 || keyId > 0xffff_ffff) throw new RangeError('keyId must be a u32')
}

export function createSignedPreKey(device: DeviceKeys, keyId: number, createdAt: number, random: RandomSource = randomBytes): WithSecret<SignedPreKey> {
  assertKeyId(keyId)
  const pair = generateX25519KeyPair(random)
  const body = new ByteWriter(SIGNED_PREKEY_BYTES)
    .u8(PROTOCOL_VERSION).u8(StructureType.SignedPreKey).u32(keyId)
    .bytes(encodePublicKey(KeyType.X25519, pair.publicKey)).u64(createdAt).finish()
  const signature = ed25519Sign(device.signing.secretKey, concatBytes(LABEL_SIGNED_PREKEY, body))
  return { public: { keyId, publicKey: pair.publicKey, createdAt, bytes: concatBytes(body, signature) }, secretKey: pair.secretKey }
}

export function createOneTimePreKeys(firstKeyId: number, count: number, random: RandomSource = randomBytes): WithSecret<OneTimePreKey>[] {
  assertKeyId(firstKeyId)
  assertKeyId(firstKeyId + count - 1)
  const out: WithSecret<OneTimePreKey>[] = []
  for (let i = 0; i < count; i++) {
    const keyId = firstKeyId + i
    const pair = generateX25519KeyPair(random)
    const bytes = new ByteWriter(ONE_TIME_PREKEY_BYTES)
      .u8(PROTOCOL_VERSION).u8(StructureType.OneTimePreKey).u32(keyId)
      .bytes(encodePublicKey(KeyType.X25519, pair.publicKey)).finish()
    out.push({ public: { keyId, publicKey: pair.publicKey, bytes }, secretKey: pair.secretKey })
  }
  return out
}

export function createKemPreKey(
  device: DeviceKeys,
  keyId: number,
  kind: KemPreKeyKind,
  createdAt: number,
  random: RandomSource = randomBytes
): WithSecret<KemPreKey> {
  assertKeyId(keyId)
  const pair = generateXWingKeyPair(random)
  const body = new ByteWriter(KEM_PREKEY_BYTES)
    .u8(PROTOCOL_VERSION).u8(StructureType.KemPreKey).u32(keyId).u8(kind)
    .bytes(encodePublicKey(KeyType.XWing, pair.publicKey)).u64(createdAt).finish()
  const signature = ed25519Sign(device.signing.secretKey, concatBytes(LABEL_KEM_PREKEY, body))
  return { public: { keyId, kind, publicKey: pair.publicKey, createdAt, bytes: concatBytes(body, signature) }, secretKey: pair.secretKey }
}

function decodeOrNull<T>(parse: () => T | null): T | null {
  try {
    return parse()
  } catch (error) {
    if (error instanceof DecodeError) return null
    throw error
  }
}

/** Decodes and verifies a signed prekey against the device's signing key; null on any failure. */
export function verifySignedPreKey(bytes: Uint8Array, signingKey: Uint8Array): SignedPreKey | null {
  assertBytes(bytes, undefined, 'signed prekey')
  if (bytes.length !== SIGNED_PREKEY_BYTES) return null
  const parsed = decodeOrNull(() => {
    const reader = new ByteReader(bytes)
    if (reader.u8() !== PROTOCOL_VERSION || reader.u8() !== StructureType.SignedPreKey) return null
    const keyId = reader.u32()
    const publicKey = decodePublicKey(KeyType.X25519, reader.bytes(X25519_ENC))
    const createdAt = reader.u64()
    const signature = reader.bytes(ED25519_SIGNATURE_BYTES)
    reader.end()
    return publicKey ? { keyId, publicKey, createdAt, signature } : null
  })
  if (!parsed) return null
  const signed = concatBytes(LABEL_SIGNED_PREKEY, bytes.subarray(0, bytes.length - ED25519_SIGNATURE_BYTES))
  if (!ed25519Verify(signingKey, signed, parsed.signature)) return null
  return { keyId: parsed.keyId, publicKey: parsed.publicKey, createdAt: parsed.createdAt, bytes: bytes.slice() }
}

export function decodeOneTimePreKey(bytes: Uint8Array): OneTimePreKey | null {
  assertBytes(bytes, undefined, 'one-time prekey')
  if (bytes.length !== ONE_TIME_PREKEY_BYTES) return null
  return decodeOrNull(() => {
    const reader = new ByteReader(bytes)
    if (reader.u8() !== PROTOCOL_VERSION || reader.u8() !== StructureType.OneTimePreKey) return null
    const keyId = reader.u32()
    const publicKey = decodePublicKey(KeyType.X25519, reader.bytes(X25519_ENC))
    reader.end()
    return publicKey ? { keyId, publicKey, bytes: bytes.slice() } : null
  })
}

/** Decodes and verifies a KEM prekey against the device's signing key; null on any failure. */
export function verifyKemPreKey(bytes: Uint8Array, signingKey: Uint8Array): KemPreKey | null {
  assertBytes(bytes, undefined, 'kem prekey')
  if (bytes.length !== KEM_PREKEY_BYTES) return null
  const parsed = decodeOrNull(() => {
    const reader = new ByteReader(bytes)
    if (reader.u8() !== PROTOCOL_VERSION || reader.u8() !== StructureType.KemPreKey) return null
    const keyId = reader.u32()
    const kind = reader.u8()
    const publicKey = decodePublicKey(KeyType.XWing, reader.bytes(XWING_ENC))
    const createdAt = reader.u64()
    const signature = reader.bytes(ED25519_SIGNATURE_BYTES)
    reader.end()
    if (!publicKey || (kind !== KemPreKeyKind.LastResort && kind !== KemPreKeyKind.OneTime)) return null
    return { keyId, kind: kind as KemPreKeyKind, publicKey, createdAt, signature }
  })
  if (!parsed) return null
  const signed = concatBytes(LABEL_KEM_PREKEY, bytes.subarray(0, bytes.length - ED25519_SIGNATURE_BYTES))
  if (!ed25519Verify(signingKey, signed, parsed.signature)) return null
  return { keyId: parsed.keyId, kind: parsed.kind, publicKey: parsed.publicKey, createdAt: parsed.createdAt, bytes: bytes.slice() }
}
