import { ByteReader, ByteWriter, DecodeError } from '../primitives/byte-io'
import { assertBytes, equalBytes } from '../primitives/bytes'
import { PROTOCOL_VERSION, StructureType } from '../primitives/encoding'
import { DEVICE_CERTIFICATE_BYTES, decodeDeviceCertificate, verifyDeviceCertificate, type DeviceCertificate } from '../identity/device-certificate'
import { findCertifiedDevice, type DeviceList } from '../identity/device-list'
import {
  KEM_PREKEY_BYTES,
  ONE_TIME_PREKEY_BYTES,
  SIGNED_PREKEY_BYTES,
  decodeOneTimePreKey,
  verifyKemPreKey,
  verifySignedPreKey,
  type KemPreKey,
  type OneTimePreKey,
  type SignedPreKey
} from './prekeys'

/**
 * Prekey bundle for one device, docs/protocol.md section 2.2:
 *   0x01 || 0x25 || device certificate || signed prekey
 *   || u8 hasOneTime (0|1) || [one-time prekey] || KEM prekey
 * The relay serves it; nothing in it is trusted until verifyPreKeyBundle
 * checked the certificate (against the account or its device list) and both
 * prekey signatures.
 */
export interface PreKeyBundle {
  readonly certificate: DeviceCertificate
  readonly signedPreKey: SignedPreKey
  readonly oneTimePreKey?: OneTimePreKey
  readonly kemPreKey: KemPreKey
}

export function encodePreKeyBundle(parts: {
  certificate: Uint8Array
  signedPreKey: Uint8Array
  oneTimePreKey?: Uint8Array
  kemPreKey: Uint8Array
}): Uint8Array {
  const writer = new ByteWriter(2 + DEVICE_CERTIFICATE_BYTES + SIGNED_PREKEY_BYTES + 1 + ONE_TIME_PREKEY_BYTES + KEM_PREKEY_BYTES)
    .u8(PROTOCOL_VERSION)
    .u8(StructureType.PreKeyBundle)
    .bytes(parts.certificate)
    .bytes(parts.signedPreKey)
    .u8(parts.oneTimePreKey ? 1 : 0)
  if (parts.oneTimePreKey) writer.bytes(parts.oneTimePreKey)
  return writer.bytes(parts.kemPreKey).finish()
}

export type BundleFailure = 'malformed' | 'wrong-account' | 'uncertified-device' | 'bad-signature'
export type BundleResult = { ok: true; bundle: PreKeyBundle } | { ok: false; reason: BundleFailure }

export interface BundleExpectation {
  /** The account identity key the device must be certified by. */
  readonly accountKey: Uint8Array
  /**
   * The account's device list as returned by verifyDeviceList (or our own
   * signDeviceList). When given, the device must be on it with exactly this
   * certificate, and the certificate signature is not verified again.
   */
  readonly deviceList?: DeviceList
}

/**
 * The bundle's device certificate, trusted either because it is byte-identical
 * to the one in the caller's verified device list (whose verification already
 * checked its signature: no second Ed25519 verification per session) or,
 * without a list, because its signature verifies under the expected account.
 */
function certifyBundleDevice(bytes: Uint8Array, expected: BundleExpectation): { ok: true; certificate: DeviceCertificate } | { ok: false; reason: BundleFailure } {
  if (expected.deviceList) {
    const decoded = decodeDeviceCertificate(bytes)
    if (!decoded) return { ok: false, reason: 'malformed' }
    if (!equalBytes(decoded.accountKey, expected.accountKey) || !equalBytes(expected.deviceList.accountKey, expected.accountKey)) {
      return { ok: false, reason: 'wrong-account' }
    }
    const listed = findCertifiedDevice(expected.deviceList, decoded.deviceId, decoded.identityKey)
    return listed && equalBytes(listed.bytes, bytes) ? { ok: true, certificate: listed } : { ok: false, reason: 'uncertified-device' }
  }
  const verified = verifyDeviceCertificate(bytes, expected.accountKey)
  if (verified.ok) return verified
  return { ok: false, reason: verified.reason === 'bad-signature' ? 'uncertified-device' : verified.reason }
}

/**
 * Verifies a bundle completely and returns it; any failure aborts here,
 * before the caller generates an ephemeral key or encapsulates anything
 * (PQXDH spec section 3.3: "If the signature verification fails, Alice aborts").
 */
export function verifyPreKeyBundle(bytes: Uint8Array, expected: BundleExpectation): BundleResult {
  assertBytes(bytes, undefined, 'prekey bundle')
  let parts: { certificate: Uint8Array; signed: Uint8Array; oneTime?: Uint8Array; kem: Uint8Array } | null
  try {
    const reader = new ByteReader(bytes)
    if (reader.u8() !== PROTOCOL_VERSION || reader.u8() !== StructureType.PreKeyBundle) return { ok: false, reason: 'malformed' }
    const certificate = reader.bytes(DEVICE_CERTIFICATE_BYTES)
    const signed = reader.bytes(SIGNED_PREKEY_BYTES)
    const hasOneTime = reader.u8()
    if (hasOneTime > 1) return { ok: false, reason: 'malformed' }
    const oneTime = hasOneTime === 1 ? reader.bytes(ONE_TIME_PREKEY_BYTES) : undefined
    const kem = reader.bytes(KEM_PREKEY_BYTES)
    reader.end()
    parts = oneTime ? { certificate, signed, oneTime, kem } : { certificate, signed, kem }
  } catch (error) {
    if (error instanceof DecodeError) return { ok: false, reason: 'malformed' }
    throw error
  }
  const certified = certifyBundleDevice(parts.certificate, expected)
  if (!certified.ok) return certified
  const certificate = certified.certificate
  const signedPreKey = verifySignedPreKey(parts.signed, certificate.signingKey)
  if (!signedPreKey) return { ok: false, reason: 'bad-signature' }
  const kemPreKey = verifyKemPreKey(parts.kem, certificate.signingKey)
  if (!kemPreKey) return { ok: false, reason: 'bad-signature' }
  let oneTimePreKey: OneTimePreKey | undefined
  if (parts.oneTime) {
    const decoded = decodeOneTimePreKey(parts.oneTime)
    if (!decoded) return { ok: false, reason: 'malformed' }
    oneTimePreKey = decoded
  }
  return { ok: true, bundle: oneTimePreKey ? { certificate, signedPreKey, oneTimePreKey, kemPreKey } : { certificate, signedPreKey, kemPreKey } }
}
