import { ByteReader, ByteWriter, DecodeError } from '../primitives/byte-io'
import { assertBytes, concatBytes, equalBytes } from '../primitives/bytes'
import { ED25519_SIGNATURE_BYTES, ed25519Sign, ed25519Verify } from '../primitives/ed25519'
import { KeyType, PROTOCOL_VERSION, StructureType, decodePublicKey, encodePublicKey, encodedKeyLength } from '../primitives/encoding'
import { LABEL_DEVICE_LIST } from '../primitives/labels'
import { DEVICE_CERTIFICATE_BYTES, verifyDeviceCertificate, type DeviceCertificate } from './device-certificate'
import type { AccountIdentity } from './device-keys'

/** docs/protocol.md section 0.4: devices per account. */
export const MAX_DEVICES_PER_LIST = 16

/**
 * Signed device list, docs/protocol.md section 1.3 (the WhatsApp "ADV" /
 * Matrix cross-signing idea):
 *   0x01 || 0x21 || Enc(accountKey) || u64 listVersion || u64 issuedAt
 *   || u16 count || count x device certificate (section 1.2) || signature(64)
 * signature = Ed25519(accountKey, "Tessera v1 device list" || all preceding bytes).
 * listVersion is strictly monotonic; a client remembers the newest list it
 * accepted and refuses anything older (rollback) or a different list with the
 * same version (equivocation).
 */
export interface DeviceList {
  readonly accountKey: Uint8Array
  readonly version: number
  readonly issuedAt: number
  readonly devices: readonly DeviceCertificate[]
  readonly bytes: Uint8Array
}

export function signDeviceList(
  account: AccountIdentity,
  version: number,
  issuedAt: number,
  devices: readonly DeviceCertificate[]
): DeviceList {
  if (devices.length < 1 || devices.length > MAX_DEVICES_PER_LIST) throw new RangeError(`a device list holds 1..${MAX_DEVICES_PER_LIST} devices`)
  const ids = new Set(devices.map((device) => device.deviceId))
  if (ids.size !== devices.length) throw new RangeError('device ids in a list must be distinct')
  for (const device of devices) {
    if (!equalBytes(device.accountKey, account.publicKey)) throw new RangeError('every certificate must be issued by this account')
  }
  const writer = new ByteWriter(2 + 33 + 18 + devices.length * DEVICE_CERTIFICATE_BYTES + 64)
    .u8(PROTOCOL_VERSION)
    .u8(StructureType.DeviceList)
    .bytes(encodePublicKey(KeyType.Ed25519, account.publicKey))
    .u64(version)
    .u64(issuedAt)
    .u16(devices.length)
  for (const device of devices) writer.bytes(device.bytes)
  const body = writer.finish()
  const signature = ed25519Sign(account.secretKey, concatBytes(LABEL_DEVICE_LIST, body))
  return { accountKey: account.publicKey.slice(), version, issuedAt, devices: [...devices], bytes: concatBytes(body, signature) }
}

export type DeviceListFailure =
  | 'malformed'
  | 'wrong-account'
  | 'bad-signature'
  | 'uncertified-device'
  | 'duplicate-device'
  | 'rollback'
  | 'equivocation'

export type DeviceListResult = { ok: true; list: DeviceList } | { ok: false; reason: DeviceListFailure }

export interface DeviceListExpectation {
  /** The account identity key the list must be signed by. */
  readonly accountKey: Uint8Array
  /** The newest list accepted before, if any (rollback protection). */
  readonly known?: { readonly version: number; readonly bytes: Uint8Array }
}

/**
 * Verifies a device list: account, outer signature, every certificate's own
 * signature by the same account, distinct device ids, and monotonicity
 * against the last accepted list.
 */
export function verifyDeviceList(bytes: Uint8Array, expected: DeviceListExpectation): DeviceListResult {
  assertBytes(bytes, undefined, 'device list')
  let parsed: { accountKey: Uint8Array; version: number; issuedAt: number; certificates: Uint8Array[]; signature: Uint8Array } | null
  try {
    parsed = parse(bytes)
  } catch (error) {
    if (error instanceof DecodeError) return { ok: false, reason: 'malformed' }
    throw error
  }
  if (!parsed) return { ok: false, reason: 'malformed' }
  if (!equalBytes(parsed.accountKey, expected.accountKey)) return { ok: false, reason: 'wrong-account' }
  const signed = concatBytes(LABEL_DEVICE_LIST, bytes.subarray(0, bytes.length - ED25519_SIGNATURE_BYTES))
  if (!ed25519Verify(parsed.accountKey, signed, parsed.signature)) return { ok: false, reason: 'bad-signature' }
  if (expected.known) {
    if (parsed.version < expected.known.version) return { ok: false, reason: 'rollback' }
    if (parsed.version === expected.known.version && !equalBytes(bytes, expected.known.bytes)) return { ok: false, reason: 'equivocation' }
  }
  const devices: DeviceCertificate[] = []
  const seen = new Set<number>()
  for (const certificateBytes of parsed.certificates) {
    const result = verifyDeviceCertificate(certificateBytes, parsed.accountKey)
    if (!result.ok) return { ok: false, reason: 'uncertified-device' }
    if (seen.has(result.certificate.deviceId)) return { ok: false, reason: 'duplicate-device' }
    seen.add(result.certificate.deviceId)
    devices.push(result.certificate)
  }
  return { ok: true, list: { accountKey: parsed.accountKey, version: parsed.version, issuedAt: parsed.issuedAt, devices, bytes: bytes.slice() } }
}

function parse(bytes: Uint8Array) {
  const reader = new ByteReader(bytes)
  if (reader.u8() !== PROTOCOL_VERSION || reader.u8() !== StructureType.DeviceList) return null
  const accountKey = decodePublicKey(KeyType.Ed25519, reader.bytes(encodedKeyLength(KeyType.Ed25519)))
  const version = reader.u64()
  const issuedAt = reader.u64()
  const count = reader.u16()
  if (!accountKey || count < 1 || count > MAX_DEVICES_PER_LIST) return null
  const certificates: Uint8Array[] = []
  for (let i = 0; i < count; i++) certificates.push(reader.bytes(DEVICE_CERTIFICATE_BYTES))
  const signature = reader.bytes(ED25519_SIGNATURE_BYTES)
  reader.end()
  return { accountKey, version, issuedAt, certificates, signature }
}

/**
 * The certificate of `deviceId` in a verified list, only if its identity key
 * is exactly `identityKey`; undefined means "uncertified device: reject".
 */
export function findCertifiedDevice(list: DeviceList, deviceId: number, identityKey: Uint8Array): DeviceCertificate | undefined {
  const device = list.devices.find((candidate) => candidate.deviceId === deviceId)
  return device && equalBytes(device.identityKey, identityKey) ? device : undefined
}
