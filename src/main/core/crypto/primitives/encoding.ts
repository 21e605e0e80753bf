import { assertBytes } from './bytes'
import { ED25519_PUBLIC_KEY_BYTES } from './ed25519'
import { X25519_KEY_BYTES } from './x25519'
import { XWING_PUBLIC_KEY_BYTES } from './xwing'

/**
 * Type bytes (docs/protocol.md section 0.2.1). Public keys are encoded as
 * type byte || raw key, so the encodings of different key kinds are pairwise
 * disjoint, as the PQXDH security analysis requires (PQXDH spec section 2.5
 * "Encode" functions must be injective and disjoint). 0x05 for X25519 matches
 * Signal's Curve25519 encoding.
 */
export const KeyType = {
  X25519: 0x05,
  Ed25519: 0x06,
  XWing: 0x0a
} as const
export type KeyType = (typeof KeyType)[keyof typeof KeyType]

const KEY_LENGTHS: Record<KeyType, number> = {
  [KeyType.X25519]: X25519_KEY_BYTES,
  [KeyType.Ed25519]: ED25519_PUBLIC_KEY_BYTES,
  [KeyType.XWing]: XWING_PUBLIC_KEY_BYTES
}

/** Wire format version of every Tessera structure (first byte). */
export const PROTOCOL_VERSION = 0x01

/** Structure type bytes (second byte after the version). 0x50-0x7f are for parts 6-11. */
export const StructureType = {
  DeviceCertificate: 0x20,
  DeviceList: 0x21,
  SignedPreKey: 0x22,
  OneTimePreKey: 0x23,
  KemPreKey: 0x24,
  PreKeyBundle: 0x25,
  RatchetMessage: 0x30,
  InitialMessage: 0x31,
  SessionRecord: 0x40,
  SessionState: 0x41
} as const
export type StructureType = (typeof StructureType)[keyof typeof StructureType]

/** type byte || raw public key. */
export function encodePublicKey(type: KeyType, key: Uint8Array): Uint8Array {
  assertBytes(key, KEY_LENGTHS[type], 'public key')
  const out = new Uint8Array(1 + key.length)
  out[0] = type
  out.set(key, 1)
  return out
}

/** Encoded length of a public key of this type. */
export function encodedKeyLength(type: KeyType): number {
  return 1 + KEY_LENGTHS[type]
}

/** Raw key from an encoding of the expected type, or null if type or length is wrong. */
export function decodePublicKey(type: KeyType, encoded: Uint8Array): Uint8Array | null {
  assertBytes(encoded, undefined, 'encoded key')
  if (encoded.length !== 1 + KEY_LENGTHS[type] || encoded[0] !== type) return null
  return encoded.slice(1)
}
