import { aeadDecrypt, aeadEncrypt } from '../primitives/aead'
import { ByteReader, ByteWriter, DecodeError } from '../primitives/byte-io'
import { assertBytes, concatBytes, equalBytes, randomBytes, wipe, type RandomSource } from '../primitives/bytes'
import { PROTOCOL_VERSION } from '../primitives/encoding'
import { hkdfSha256 } from '../primitives/hkdf'
import { LABEL_SEALED_SENDER_EPHEMERAL, LABEL_SEALED_SENDER_STATIC } from '../primitives/labels'
import { X25519_KEY_BYTES, generateX25519KeyPair, x25519, type X25519KeyPair } from '../primitives/x25519'
import { DEVICE_CERTIFICATE_BYTES, verifyDeviceCertificate, type DeviceCertificate } from '../identity/device-certificate'

/**
 * Sealed sender envelope (docs/protocol.md section 7.1), the two-layer shape
 * of Signal's sealed sender v1 (libsignal rust/protocol/src/sealed_sender.rs,
 * "UnidentifiedSenderMessage" v1) with XChaCha20-Poly1305 and HKDF-SHA256:
 *
 *   header  = 0x01 || 0x50 || u8 flags || e_pub (32) [|| C (32) if flags & 1]
 *   layer 1 = AEAD(k1, n1, senderCertificate, ad = header || recipientIK)
 *             k1 || n1 || chain = HKDF(X25519(e, IK_r), e_pub || IK_r, "Tessera v1 sealed sender ephemeral", 88)
 *   layer 2 = AEAD(k2, n2, inner, ad = header || layer1)
 *             k2 || n2 = HKDF(X25519(IK_s, IK_r), chain || layer1, "Tessera v1 sealed sender static", 56)
 *   inner   = u8 contentType || u64 sentAtMs || u32 len || content
 *   envelope = header || u32 len(layer1) || layer1 || layer2
 *
 * Layer 1 hides the sender from the relay; layer 2 can only be produced by
 * the holder of the identity key the certificate names, which binds the
 * sender's identity to the content (the recipient never trusts a certificate
 * it could not have needed to decrypt with). C is the optional franking
 * commitment (section 10): outside both layers so the relay can stamp it,
 * and authenticated by both as part of the header.
 */

export const SEALED_ENVELOPE_TYPE = 0x50
export const MAX_SEALED_CONTENT_BYTES = 1024 * 1024
const FLAG_FRANKING = 0x01
const LAYER1_KEYS = 32 + 24 + 32
const LAYER2_KEYS = 32 + 24

/** The certificate clock rules; Signal's sender certificates expire as well. */
export interface CertificatePolicy {
  /** Maximum age of a certificate (issuedAt) at `now`; older is "expired". */
  readonly maxAgeMs: number
  /** Tolerated clock skew for a certificate issued "in the future". */
  readonly maxSkewMs: number
}

export const DEFAULT_CERTIFICATE_POLICY: CertificatePolicy = { maxAgeMs: 90 * 86_400_000, maxSkewMs: 5 * 60_000 }

export interface SealInput {
  readonly senderCertificate: DeviceCertificate
  readonly senderIdentity: X25519KeyPair
  readonly recipientIdentityKey: Uint8Array
  readonly contentType: number
  readonly content: Uint8Array
  readonly sentAtMs: number
  readonly frankingCommitment?: Uint8Array
}

export interface OpenedEnvelope {
  readonly sender: DeviceCertificate
  readonly contentType: number
  readonly content: Uint8Array
  readonly sentAtMs: number
  /** e_pub: unique per envelope; the replay guard keys on it (section 7.3). */
  readonly envelopeId: Uint8Array
  readonly frankingCommitment?: Uint8Array
}

export type OpenFailure =
  | 'malformed'
  | 'weak-key'
  | 'layer1-failed'
  | 'bad-certificate'
  | 'wrong-sender-account'
  | 'certificate-expired'
  | 'certificate-not-yet-valid'
  | 'layer2-failed'

export type OpenResult = { readonly ok: true; readonly envelope: OpenedEnvelope } | { readonly ok: false; readonly reason: OpenFailure }

function header(ephemeralPublic: Uint8Array, frankingCommitment?: Uint8Array): Uint8Array {
  const flags = frankingCommitment ? FLAG_FRANKING : 0
  return concatBytes(Uint8Array.of(PROTOCOL_VERSION, SEALED_ENVELOPE_TYPE, flags), ephemeralPublic, frankingCommitment ?? new Uint8Array(0))
}

/** Seals `content` so that only the recipient device learns who sent it. */
export function sealEnvelope(input: SealInput, random: RandomSource = randomBytes): Uint8Array {
  assertBytes(input.recipientIdentityKey, X25519_KEY_BYTES, 'recipientIdentityKey')
  assertBytes(input.content, undefined, 'content')
  if (input.content.length > MAX_SEALED_CONTENT_BYTES) throw new RangeError('content too long')
  if (!Number.isInteger(input.contentType) || input.contentType < 0 || input.contentType > 0xff) throw new RangeError('contentType must be a u8')
  if (input.frankingCommitment) assertBytes(input.frankingCommitment, 32, 'frankingCommitment')
  if (!equalBytes(input.senderCertificate.identityKey, input.senderIdentity.publicKey)) {
    throw new RangeError('senderCertificate does not certify senderIdentity')
  }
  const ephemeral = generateX25519KeyPair(random)
  const head = header(ephemeral.publicKey, input.frankingCommitment)
  const dh1 = x25519(ephemeral.secretKey, input.recipientIdentityKey)
  wipe(ephemeral.secretKey)
  if (dh1 === null) throw new RangeError('recipientIdentityKey is a low-order point')
  const keys1 = hkdfSha256(dh1, concatBytes(ephemeral.publicKey, input.recipientIdentityKey), LABEL_SEALED_SENDER_EPHEMERAL, LAYER1_KEYS)
  const layer1 = aeadEncrypt(keys1.subarray(0, 32), keys1.subarray(32, 56), input.senderCertificate.bytes, concatBytes(head, input.recipientIdentityKey))
  const dh2 = x25519(input.senderIdentity.secretKey, input.recipientIdentityKey)
  if (dh2 === null) throw new RangeError('recipientIdentityKey is a low-order point')
  const keys2 = hkdfSha256(dh2, concatBytes(keys1.subarray(56), layer1), LABEL_SEALED_SENDER_STATIC, LAYER2_KEYS)
  const inner = new ByteWriter(13 + input.content.length).u8(input.contentType).u64(input.sentAtMs).varBytes(input.content).finish()
  const layer2 = aeadEncrypt(keys2.subarray(0, 32), keys2.subarray(32, 56), inner, concatBytes(head, layer1))
  wipe(dh1, dh2, keys1, keys2, inner)
  return new ByteWriter(head.length + 4 + layer1.length + layer2.length).bytes(head).varBytes(layer1).bytes(layer2).finish()
}

interface ParsedEnvelope {
  readonly head: Uint8Array
  readonly ephemeralPublic: Uint8Array
  readonly frankingCommitment?: Uint8Array
  readonly layer1: Uint8Array
  readonly layer2: Uint8Array
}

function parse(bytes: Uint8Array): ParsedEnvelope | null {
  try {
    const reader = new ByteReader(bytes)
    if (reader.u8() !== PROTOCOL_VERSION || reader.u8() !== SEALED_ENVELOPE_TYPE) return null
    const flags = reader.u8()
    if ((flags & ~FLAG_FRANKING) !== 0) return null
    const ephemeralPublic = reader.bytes(X25519_KEY_BYTES)
    const frankingCommitment = flags & FLAG_FRANKING ? reader.bytes(32) : undefined
    const layer1 = reader.varBytes(DEVICE_CERTIFICATE_BYTES + 16)
    const layer2 = reader.rest()
    if (layer2.length < 13 + 16) return null
    return { head: header(ephemeralPublic, frankingCommitment), ephemeralPublic, frankingCommitment, layer1, layer2 }
  } catch (error) {
    if (error instanceof DecodeError) return null
    throw error
  }
}

function checkSenderCertificate(
  bytes: Uint8Array,
  nowMs: number,
  policy: CertificatePolicy,
  expectedAccountKey: Uint8Array | undefined
): { readonly ok: true; readonly certificate: DeviceCertificate } | { readonly ok: false; readonly reason: OpenFailure } {
  const checked = verifyDeviceCertificate(bytes, expectedAccountKey)
  if (!checked.ok) return { ok: false, reason: checked.reason === 'wrong-account' ? 'wrong-sender-account' : 'bad-certificate' }
  const issuedAt = checked.certificate.issuedAt
  if (issuedAt > nowMs + policy.maxSkewMs) return { ok: false, reason: 'certificate-not-yet-valid' }
  if (nowMs - issuedAt > policy.maxAgeMs) return { ok: false, reason: 'certificate-expired' }
  return checked
}

/**
 * Opens an envelope addressed to `recipientIdentity`. Checks, in order: the
 * layer-1 AEAD, the certificate's account signature (and account, when the
 * caller knows whom to expect), its age under `policy` at `nowMs`, then the
 * layer-2 AEAD under the static key the certificate names.
 */
export function openEnvelope(
  bytes: Uint8Array,
  recipientIdentity: X25519KeyPair,
  nowMs: number,
  options: { readonly policy?: CertificatePolicy; readonly expectedSenderAccountKey?: Uint8Array } = {}
): OpenResult {
  assertBytes(bytes, undefined, 'envelope')
  const policy = options.policy ?? DEFAULT_CERTIFICATE_POLICY
  const parsed = parse(bytes)
  if (!parsed) return { ok: false, reason: 'malformed' }
  const dh1 = x25519(recipientIdentity.secretKey, parsed.ephemeralPublic)
  if (dh1 === null) return { ok: false, reason: 'weak-key' }
  const keys1 = hkdfSha256(dh1, concatBytes(parsed.ephemeralPublic, recipientIdentity.publicKey), LABEL_SEALED_SENDER_EPHEMERAL, LAYER1_KEYS)
  wipe(dh1)
  const certificateBytes = aeadDecrypt(keys1.subarray(0, 32), keys1.subarray(32, 56), parsed.layer1, concatBytes(parsed.head, recipientIdentity.publicKey))
  if (certificateBytes === null) {
    wipe(keys1)
    return { ok: false, reason: 'layer1-failed' }
  }
  const checked = checkSenderCertificate(certificateBytes, nowMs, policy, options.expectedSenderAccountKey)
  if (!checked.ok) {
    wipe(keys1)
    return checked
  }
  const sender = checked.certificate
  const dh2 = x25519(recipientIdentity.secretKey, sender.identityKey)
  if (dh2 === null) {
    wipe(keys1)
    return { ok: false, reason: 'weak-key' }
  }
  const keys2 = hkdfSha256(dh2, concatBytes(keys1.subarray(56), parsed.layer1), LABEL_SEALED_SENDER_STATIC, LAYER2_KEYS)
  wipe(dh2, keys1)
  const inner = aeadDecrypt(keys2.subarray(0, 32), keys2.subarray(32, 56), parsed.layer2, concatBytes(parsed.head, parsed.layer1))
  wipe(keys2)
  if (inner === null) return { ok: false, reason: 'layer2-failed' }
  try {
    const reader = new ByteReader(inner)
    const contentType = reader.u8()
    const sentAtMs = reader.u64()
    const content = reader.varBytes(MAX_SEALED_CONTENT_BYTES)
    reader.end()
    const envelope: OpenedEnvelope = { sender, contentType, content, sentAtMs, envelopeId: parsed.ephemeralPublic }
    return { ok: true, envelope: parsed.frankingCommitment ? { ...envelope, frankingCommitment: parsed.frankingCommitment } : envelope }
  } catch (error) {
    if (error instanceof DecodeError) return { ok: false, reason: 'malformed' }
    throw error
  } finally {
    wipe(inner)
  }
}
