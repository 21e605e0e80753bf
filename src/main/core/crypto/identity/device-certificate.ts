import { ByteReader, ByteWriter, DecodeError } from '../primitives/byte-io'
import { assertBytes, concatBytes } from '../primitives/bytes'
import { ED25519_SIGNATURE_BYTES, ed25519Sign, ed25519Verify } from '../primitives/ed25519'
import { KeyType, PROTOCOL_VERSION, StructureType, decodePublicKey, encodePublicKey, encodedKeyLength } from '../primitives/encoding'
import { LABEL_DEVICE_CERTIFICATE } from '../primitives/labels'
import { assertDeviceId, type AccountIdentity, type DeviceKeys } from './device-keys'

/**
 * Device certificate, docs/protocol.md section 1.2:
 *   0x01 || 0x20 || Enc(accountKey) || u32 deviceId || Enc(identityKey X25519)
 *   || Enc(signingKey Ed25519) || u64 issuedAt(ms) || signature(64)
 * signature = Ed25519(accountKey, "Tessera v1 device certificate" || all preceding bytes).
 * The same bytes serve as the sealed-sender sender certificate (section 7).
 */
export interface DeviceCertificate {
  readonly accountKey: Uint8Array
  readonly deviceId: number
  readonly identityKey: Uint8Array
  readonly signingKey: Uint8Array
  readonly issuedAt: number
  readonly signature: Uint8Array
  /** The exact encoded bytes (what was signed plus the signature). */
  readonly bytes: Uint8Array
}

export const DEVICE_CERTIFICATE_BYTES =
  2 + encodedKeyLength(KeyType.Ed25519) + 4 + encodedKeyLength(KeyType.X25519) + encodedKeyLength(KeyType.Ed25519) + 8 + ED25519_SIGNATURE_BYTES

/** The account signs a device's public keys. */
export function issueDeviceCertificate(account: AccountIdentity, device: DeviceKeys, issuedAt: number): DeviceCertificate {
  assertDeviceId(device.deviceId)
  const body = new ByteWriter(DEVICE_CERTIFICATE_BYTES)
    .u8(PROTOCOL_VERSION)
    .u8(StructureType.DeviceCertificate)
    .bytes(encodePublicKey(KeyType.Ed25519, account.publicKey))
    .u32(device.deviceId)
    .bytes(encodePublicKey(KeyType.X25519, device.identity.publicKey))
    .bytes(encodePublicKey(KeyType.Ed25519, device.signing.publicKey))
    .u64(issuedAt)
    .finish()
  const signature = ed25519Sign(account.secretKey, concatBytes(LABEL_DEVICE_CERTIFICATE, body))
  return {
    accountKey: account.publicKey.slice(),
    deviceId: device.deviceId,
    identityKey: device.identity.publicKey.slice(),
    signingKey: device.signing.publicKey.slice(),
    issuedAt,
    signature,
    bytes: concatBytes(body, signature)
  }
}

/** Parses without checking the signature; null when malformed. */
export function decodeDeviceCertificate(bytes: Uint8Array): DeviceCertificate | null {
  assertBytes(bytes, undefined, 'certificate')
  if (bytes.length !== DEVICE_CERTIFICATE_BYTES) return null
  try {
    const reader = new ByteReader(bytes)
    if (reader.u8() !== PROTOCOL_VERSION || reader.u8() !== StructureType.DeviceCertificate) return null
    const accountKey = decodePublicKey(KeyType.Ed25519, reader.bytes(encodedKeyLength(KeyType.Ed25519)))
    const deviceId = reader.u32()
    const identityKey = decodePublicKey(KeyType.X25519, reader.bytes(encodedKeyLength(KeyType.X25519)))
    const signingKey = decodePublicKey(KeyType.Ed25519, reader.bytes(encodedKeyLength(KeyType.Ed25519)))
    const issuedAt = reader.u64()
    const signature = reader.bytes(ED25519_SIGNATURE_BYTES)
    reader.end()
    if (!accountKey || !identityKey || !signingKey || deviceId === 0) return null
    return { accountKey, deviceId, identityKey, signingKey, issuedAt, signature, bytes: bytes.slice() }
  } catch (error) {
    if (error instanceof DecodeError) return null
    throw error
  }
}

export type CertificateFailure = 'malformed' | 'wrong-account' | 'bad-signature'
export type CertificateResult = { ok: true; certificate: DeviceCertificate } | { ok: false; reason: CertificateFailure }

/**
 * Decodes and verifies a certificate. With `expectedAccountKey`, a
 * certificate from any other account is rejected before its signature is
 * even checked.
 */
export function verifyDeviceCertificate(bytes: Uint8Array, expectedAccountKey?: Uint8Array): CertificateResult {
  const certificate = decodeDeviceCertificate(bytes)
  if (!certificate) return { ok: false, reason: 'malformed' }
  if (expectedAccountKey && !equalKey(certificate.accountKey, expectedAccountKey)) return { ok: false, reason: 'wrong-account' }
  const signed = concatBytes(LABEL_DEVICE_CERTIFICATE, bytes.subarray(0, bytes.length - ED25519_SIGNATURE_BYTES))
  if (!ed25519Verify(certificate.accountKey, signed, certificate.signature)) return { ok: false, reason: 'bad-signature' }
  return { ok: true, certificate }
}

function equalKey(a: Uint8Array, b: Uint8Array): boolean {
  // Public values: a plain comparison is fine.
  return a.length === b.length && a.every((byte, i) => byte === b[i])
}
