import { beforeAll, describe, expect, it } from 'vitest'
import { loadSodium } from '../../../../src/main/core/crypto/sodium'
import { generateEd25519KeyPair, randomBytes, type Ed25519KeyPair } from '../../../../src/main/core/crypto/primitives'
import {
  generateAccountIdentity,
  generateDeviceKeys,
  issueDeviceCertificate,
  type DeviceCertificate,
  type DeviceKeys
} from '../../../../src/main/core/crypto/identity'
import type { FrankingContext } from '../../../../src/main/core/crypto/franking/commitment'
import { frankMessage } from '../../../../src/main/core/crypto/franking/frank'
import { stampCommitment } from '../../../../src/main/core/crypto/franking/stamp'
import { encryptAttachment } from '../../../../src/main/core/crypto/franking/attachment'
import { decodeReport, encodeReport, verifyReport, type FrankingReport } from '../../../../src/main/core/crypto/franking/report'

let relay: Ed25519KeyPair
let device: DeviceKeys
let certificate: DeviceCertificate
const SENT_AT = 1_760_000_000_000

function contextFor(overrides: Partial<FrankingContext> = {}): FrankingContext {
  return {
    conversationId: new Uint8Array(32).fill(0x11),
    messageId: new Uint8Array(16).fill(0x22),
    senderAccountKey: certificate.accountKey,
    senderDeviceKey: certificate.signingKey,
    recipientMailbox: new Uint8Array(32).fill(0x33),
    sentAtMs: SENT_AT,
    ...overrides
  }
}

/** The whole honest flow: sender franks, relay stamps on delivery, recipient builds a report. */
function honestReport(plaintext = new TextEncoder().encode('buy my pills')): FrankingReport {
  const context = contextFor()
  const attachments = [encryptAttachment(new TextEncoder().encode('image bytes'), randomBytes).reference]
  const franked = frankMessage({ context, plaintext, attachments, deviceSigningSecretKey: device.signing.secretKey }, randomBytes)
  const stamp = stampCommitment(relay.secretKey, franked.commitment, context.recipientMailbox, SENT_AT + 50)
  return { context, plaintext, attachments, opening: franked.opening, stamp, senderCertificate: certificate.bytes }
}

beforeAll(async () => {
  await loadSodium()
  relay = generateEd25519KeyPair()
  const account = generateAccountIdentity()
  device = generateDeviceKeys(1)
  certificate = issueDeviceCertificate(account, device, SENT_AT - 86_400_000)
})

describe('abuse reports (protocol section 10.5)', () => {
  it('an honest report verifies with only the relay public key and round-trips its encoding', () => {
    const report = honestReport()
    const bytes = encodeReport(report)
    expect(encodeReport(decodeReport(bytes) as FrankingReport)).toEqual(bytes)
    const verified = verifyReport(bytes, relay.publicKey)
    expect(verified.ok).toBe(true)
    if (verified.ok) {
      expect(new TextDecoder().decode(verified.plaintext)).toBe('buy my pills')
      expect(verified.deliveredAtMs).toBe(SENT_AT + 50)
    }
  })

  it('a forged report with an altered message is rejected', () => {
    const forged = { ...honestReport(), plaintext: new TextEncoder().encode('something else') }
    expect(verifyReport(encodeReport(forged), relay.publicKey)).toEqual({ ok: false, reason: 'commitment-mismatch' })
  })

  it('a forged report with an altered franking key is rejected', () => {
    const report = honestReport()
    const opening = report.opening.slice()
    opening[5] = (opening[5] ?? 0) ^ 1
    expect(verifyReport(encodeReport({ ...report, opening }), relay.publicKey)).toEqual({ ok: false, reason: 'commitment-mismatch' })
  })

  it('a forged report with altered attachments is rejected', () => {
    const report = honestReport()
    const forged = { ...report, attachments: [{ plaintextSha256: randomBytes(32), ciphertextSha256: randomBytes(32) }] }
    expect(verifyReport(encodeReport(forged), relay.publicKey)).toEqual({ ok: false, reason: 'commitment-mismatch' })
  })

  it('a report replayed in another context is rejected', () => {
    const report = honestReport()
    for (const context of [
      contextFor({ conversationId: new Uint8Array(32).fill(0x44) }),
      contextFor({ messageId: new Uint8Array(16).fill(0x55) }),
      contextFor({ sentAtMs: SENT_AT + 1 })
    ]) {
      expect(verifyReport(encodeReport({ ...report, context }), relay.publicKey)).toEqual({ ok: false, reason: 'commitment-mismatch' })
    }
    // Re-stamped for another mailbox by an honest relay: the stamp no longer matches the addressed mailbox.
    const otherStamp = stampCommitment(relay.secretKey, report.stamp.slice(2, 34), new Uint8Array(32).fill(0x66), SENT_AT)
    expect(verifyReport(encodeReport({ ...report, stamp: otherStamp }), relay.publicKey)).toEqual({
      ok: false,
      reason: 'mailbox-mismatch'
    })
  })

  it('a stamp from another relay or a tampered stamp is rejected', () => {
    const report = honestReport()
    expect(verifyReport(encodeReport(report), generateEd25519KeyPair().publicKey)).toEqual({ ok: false, reason: 'bad-relay-signature' })
    const stamp = report.stamp.slice()
    stamp[40] = (stamp[40] ?? 0) ^ 1
    expect(verifyReport(encodeReport({ ...report, stamp }), relay.publicKey)).toEqual({ ok: false, reason: 'bad-relay-signature' })
  })

  it('a report blaming another account (swapped certificate) is rejected', () => {
    const report = honestReport()
    const otherCertificate = issueDeviceCertificate(generateAccountIdentity(), generateDeviceKeys(2), SENT_AT - 1000)
    expect(verifyReport(encodeReport({ ...report, senderCertificate: otherCertificate.bytes }), relay.publicKey)).toEqual({
      ok: false,
      reason: 'certificate-mismatch'
    })
    const forgedCertificate = certificate.bytes.slice()
    forgedCertificate[forgedCertificate.length - 1] = (forgedCertificate[forgedCertificate.length - 1] ?? 0) ^ 1
    expect(verifyReport(encodeReport({ ...report, senderCertificate: forgedCertificate }), relay.publicKey)).toEqual({
      ok: false,
      reason: 'bad-certificate'
    })
  })

  it('rejects truncated reports and trailing bytes as malformed', () => {
    const bytes = encodeReport(honestReport())
    for (const bad of [bytes.subarray(0, bytes.length - 1), Uint8Array.of(...bytes, 0), bytes.subarray(0, 10), new Uint8Array(0)]) {
      expect(verifyReport(bad, relay.publicKey)).toEqual({ ok: false, reason: 'malformed-report' })
    }
  })
})
