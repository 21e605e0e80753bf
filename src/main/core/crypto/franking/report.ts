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
import { ByteReader, ByteWriter, DecodeError } from '../primitives/byte-io'
import { assertBytes, equalBytes } from '../primitives/bytes'
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
  const writer = new ByteWriter(512 + report.plaintext.length)
    .u8(REPORT_VERSION)
    .u8(REPORT_TYPE)
    .bytes(encodeFrankingContext(report.context))
    .u32(report.attachments.length)
  for (const a of report.attachments) {
    assertBytes(a.plaintextSha256, ATTACHMENT_DIGEST_BYTES, 'plaintextSha256')
    assertBytes(a.ciphertextSha256, ATTACHMENT_DIGEST_BYTES, 'ciphertextSha256')
    writer.bytes(a.plaintextSha256).bytes(a.ciphertextSha256)
  }
  return writer
    .varBytes(report.plaintext)
    .bytes(report.opening)
    .bytes(report.stamp)
    .varBytes(report.senderCertificate)
    .finish()
}

/** Strict parser: every length is bounded and the input must be consumed exactly. */
export function decodeReport(bytes: Uint8Array): FrankingReport | undefined {
  try {
    const reader = new ByteReader(bytes)
    if (reader.u8() !== REPORT_VERSION || reader.u8() !== REPORT_TYPE) return undefined
    const context = decodeFrankingContext(reader.bytes(FRANKING_CONTEXT_BYTES))
    const count = reader.u32()
    if (count > MAX_FRANKED_ATTACHMENTS) return undefined
    const attachments: AttachmentReference[] = []
    for (let i = 0; i < count; i++) {
      attachments.push({ plaintextSha256: reader.bytes(ATTACHMENT_DIGEST_BYTES), ciphertextSha256: reader.bytes(ATTACHMENT_DIGEST_BYTES) })
    }
    const plaintext = reader.varBytes(MAX_FRANKED_PLAINTEXT_BYTES)
    const opening = reader.bytes(FRANKING_OPENING_BYTES)
    const stamp = reader.bytes(STAMP_BYTES)
    const senderCertificate = reader.varBytes(MAX_CERTIFICATE_BYTES)
    reader.end()
    return { context, plaintext, attachments, opening, stamp, senderCertificate }
  } catch (error) {
    // decodeFrankingContext throws RangeError on an out-of-range time.
    if (error instanceof DecodeError || error instanceof RangeError) return undefined
    throw error
  }
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
