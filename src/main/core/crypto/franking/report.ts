import type { AttachmentReference, FrankingContext } from './commitment'
import {
  ATTACHMENT_DIGEST_BYTES,
  FRANKING_CONTEXT_BYTES,
  MAX_FRANKED_ATTACHMENTS,
  MAX_FRANKED_PLAINTEXT_BYTES,
  computeFrankingCommitment,
  decodeFrankingContext,
  encodeFrankingContext
} from './commitment'
import { assertBytes, equalBytes, u32be as u32 } from '../primitives/bytes'
import { ed25519Verify } from '../primitives/ed25519'
import { FRANKING_OPENING_BYTES, decodeOpening, senderSignatureInput } from './frank'
import { STAMP_BYTES, verifyStamp } from './stamp'
import { verifyDeviceCertificate } from '../identity/device-certificate'

/**
 * Abuse reports (docs/protocol.md section 10.5). A reporter reveals exactly
 * one message: its context, plaintext, attachment references, the opening
 * (fk + sender signature), the relay's stamp and the sender's certificate.
 * The relay operator verifies it with nothing but the relay's public key.
 *
 *   report = 0x01 || 0x5C || context (152) || u32(n) || n x (ptSha256 || ctSha256)
 *            || u32(len) || plaintext || opening (98) || stamp (138)
 *            || u32(len) || senderCertificate
 */

export const REPORT_VERSION = 0x01
export const REPORT_TYPE = 0x5c
const MAX_CERTIFICATE_BYTES = 4096

export interface FrankingReport {
  readonly context: FrankingContext
  readonly plaintext: Uint8Array
  readonly attachments: readonly AttachmentReference[]
  readonly opening: Uint8Array
  readonly stamp: Uint8Array
  readonly senderCertificate: Uint8Array
}

/**
 * How the operator checks the sender's certificate: the account-signed device
 * certificate from the identity module, valid at `atMs` (the stamp time).
 */
export type SenderCertificateVerifier = (
  certificate: Uint8Array,
  atMs: number
) => { readonly ok: true; readonly accountKey: Uint8Array; readonly deviceSigningKey: Uint8Array } | { readonly ok: false }

/**
 * The default verifier: the account-signed device certificate of section 1.2,
 * which must have been issued before the relay stamped the message.
 */
export const deviceCertificateVerifier: SenderCertificateVerifier = (certificate, atMs) => {
  const checked = verifyDeviceCertificate(certificate)
  if (!checked.ok || checked.certificate.issuedAt > atMs) return { ok: false }
  return { ok: true, accountKey: checked.certificate.accountKey, deviceSigningKey: checked.certificate.signingKey }
}

export type ReportVerification =
  | {
      readonly ok: true
      /** C: operators deduplicate reports on it. */
      readonly commitment: Uint8Array
      readonly context: FrankingContext
      readonly plaintext: Uint8Array
      readonly attachments: readonly AttachmentReference[]
      readonly deliveredAtMs: number
    }
  | {
      readonly ok: false
      readonly reason:
        | 'malformed-report'
        | 'malformed-stamp'
        | 'bad-relay-signature'
        | 'commitment-mismatch'
        | 'mailbox-mismatch'
        | 'bad-sender-signature'
        | 'bad-certificate'
        | 'certificate-mismatch'
    }

export function encodeReport(report: FrankingReport): Uint8Array {
  assertBytes(report.opening, FRANKING_OPENING_BYTES, 'opening')
  assertBytes(report.stamp, STAMP_BYTES, 'stamp')
  if (report.senderCertificate.length > MAX_CERTIFICATE_BYTES) throw new RangeError('senderCertificate too long')
  if (report.plaintext.length > MAX_FRANKED_PLAINTEXT_BYTES) throw new RangeError('plaintext too long')
  if (report.attachments.length > MAX_FRANKED_ATTACHMENTS) throw new RangeError('too many attachments')
  const parts: Uint8Array[] = [Uint8Array.of(REPORT_VERSION, REPORT_TYPE), encodeFrankingContext(report.context), u32(report.attachments.length)]
  for (const a of report.attachments) {
    assertBytes(a.plaintextSha256, ATTACHMENT_DIGEST_BYTES, 'plaintextSha256')
    assertBytes(a.ciphertextSha256, ATTACHMENT_DIGEST_BYTES, 'ciphertextSha256')
    parts.push(a.plaintextSha256, a.ciphertextSha256)
  }
  parts.push(u32(report.plaintext.length), report.plaintext, report.opening, report.stamp)
  parts.push(u32(report.senderCertificate.length), report.senderCertificate)
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let offset = 0
  for (const p of parts) {
    out.set(p, offset)
    offset += p.length
  }
  return out
}

/** Strict parser: every length is bounded and the input must be consumed exactly. */
export function decodeReport(bytes: Uint8Array): FrankingReport | undefined {
  if (!(bytes instanceof Uint8Array) || bytes[0] !== REPORT_VERSION || bytes[1] !== REPORT_TYPE) return undefined
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let offset = 2
  const take = (n: number): Uint8Array | undefined => {
    if (n < 0 || offset + n > bytes.length) return undefined
    const part = bytes.slice(offset, offset + n)
    offset += n
    return part
  }
  const readU32 = (): number | undefined => {
    if (offset + 4 > bytes.length) return undefined
    const value = view.getUint32(offset, false)
    offset += 4
    return value
  }
  const contextBytes = take(FRANKING_CONTEXT_BYTES)
  const count = readU32()
  if (contextBytes === undefined || count === undefined || count > MAX_FRANKED_ATTACHMENTS) return undefined
  const attachments: AttachmentReference[] = []
  for (let i = 0; i < count; i++) {
    const plaintextSha256 = take(ATTACHMENT_DIGEST_BYTES)
    const ciphertextSha256 = take(ATTACHMENT_DIGEST_BYTES)
    if (plaintextSha256 === undefined || ciphertextSha256 === undefined) return undefined
    attachments.push({ plaintextSha256, ciphertextSha256 })
  }
  const plaintextLength = readU32()
  if (plaintextLength === undefined || plaintextLength > MAX_FRANKED_PLAINTEXT_BYTES) return undefined
  const plaintext = take(plaintextLength)
  const opening = take(FRANKING_OPENING_BYTES)
  const stamp = take(STAMP_BYTES)
  const certificateLength = readU32()
  if (certificateLength === undefined || certificateLength > MAX_CERTIFICATE_BYTES) return undefined
  const senderCertificate = take(certificateLength)
  if (!plaintext || !opening || !stamp || !senderCertificate || offset !== bytes.length) return undefined
  let context: FrankingContext
  try {
    context = decodeFrankingContext(contextBytes)
  } catch {
    return undefined
  }
  return { context, plaintext, attachments, opening, stamp, senderCertificate }
}

/**
 * Operator-side verification. Order: parse, relay stamp, commitment, mailbox,
 * sender signature, certificate; the first failure is returned.
 */
export function verifyReport(
  reportBytes: Uint8Array,
  relayPublicKey: Uint8Array,
  verifySenderCertificate: SenderCertificateVerifier = deviceCertificateVerifier
): ReportVerification {
  const report = decodeReport(reportBytes)
  if (report === undefined) return { ok: false, reason: 'malformed-report' }
  const opening = decodeOpening(report.opening)
  if (opening === undefined) return { ok: false, reason: 'malformed-report' }
  const stamped = verifyStamp(report.stamp, relayPublicKey)
  if (!stamped.ok) return { ok: false, reason: stamped.reason }
  const commitment = computeFrankingCommitment(
    opening.frankingKey,
    report.context,
    report.plaintext,
    report.attachments
  )
  if (!equalBytes(commitment, stamped.stamp.commitment)) return { ok: false, reason: 'commitment-mismatch' }
  // The stamp says where the relay delivered C; the context says where the
  // sender addressed it. A report re-targeted at another mailbox fails here.
  if (!equalBytes(stamped.stamp.mailbox, report.context.recipientMailbox)) {
    return { ok: false, reason: 'mailbox-mismatch' }
  }
  const signed = ed25519Verify(report.context.senderDeviceKey, senderSignatureInput(commitment), opening.senderSignature)
  if (!signed) return { ok: false, reason: 'bad-sender-signature' }
  const certificate = verifySenderCertificate(report.senderCertificate, stamped.stamp.receivedAtMs)
  if (!certificate.ok) return { ok: false, reason: 'bad-certificate' }
  if (
    !equalBytes(certificate.accountKey, report.context.senderAccountKey) ||
    !equalBytes(certificate.deviceSigningKey, report.context.senderDeviceKey)
  ) {
    return { ok: false, reason: 'certificate-mismatch' }
  }
  return {
    ok: true,
    commitment,
    context: report.context,
    plaintext: report.plaintext,
    attachments: report.attachments,
    deliveredAtMs: stamped.stamp.receivedAtMs
  }
}
