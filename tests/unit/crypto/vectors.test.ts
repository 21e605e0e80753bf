import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { fromHex, toHex, type X25519KeyPair } from '../../../src/main/core/crypto/primitives'
import { x25519PublicKey } from '../../../src/main/core/crypto/primitives/x25519'
import { acceptSession, initiateSession, type SessionRecord } from '../../../src/main/core/crypto/session'
import { openEnvelope } from '../../../src/main/core/crypto/sealed-sender/envelope'
import { deliveryTokenVerifier, deriveDeliveryToken } from '../../../src/main/core/crypto/sealed-sender/delivery-token'
import { SenderKeyRecord } from '../../../src/main/core/crypto/sender-keys/record'
import { compareSafetyNumberQr, computeSafetyNumber } from '../../../src/main/core/crypto/safety-numbers/safety-number'
import { iteratedFingerprintHash, thirtyDigits } from '../../../src/main/core/crypto/safety-numbers/numeric-fingerprint'
import { verifyReport } from '../../../src/main/core/crypto/franking/report'
import { decryptAttachment } from '../../../src/main/core/crypto/franking/attachment'
import { VECTORS_DIR, buildAllVectors, seedFor, seededRandom, sessionParty } from '../../../scripts/generate-vectors'

/**
 * Known-answer vectors (protocol section 11): the committed files must be
 * exactly what the generator produces from its seeds, and every recorded
 * ciphertext must open, using only the data in the files plus the seeded
 * streams they name.
 */

/* eslint-disable @typescript-eslint/no-explicit-any -- JSON vector files are read structurally */
function load(name: string): any {
  return JSON.parse(readFileSync(join(VECTORS_DIR, name), 'utf8'))
}

let generated: Record<string, unknown>
beforeAll(async () => {
  generated = await buildAllVectors()
})

describe('known-answer vectors (protocol section 11)', () => {
  it('regenerating from the same seeds yields the committed files byte for byte', () => {
    for (const [name, content] of Object.entries(generated)) {
      expect(readFileSync(join(VECTORS_DIR, name), 'utf8'), name).toBe(`${JSON.stringify(content, null, 2)}\n`)
    }
  })

  it('session: each side, rebuilt from its seeds, decrypts the other side\'s recorded messages and re-encrypts its own', () => {
    const vector = load('session.json')
    const alice = sessionParty(vector.alice.keysLabel.replace(/ keys$/, ''), vector.alice.deviceId)
    const bob = sessionParty(vector.bob.keysLabel.replace(/ keys$/, ''), vector.bob.deviceId)
    expect(toHex(bob.bundle)).toBe(vector.bob.bundle)
    expect(toHex(alice.local.certificate.bytes)).toBe(vector.alice.certificate)
    let now = vector.startMs as number
    const clock = (): number => now

    // Alice's view.
    const started = initiateSession({
      random: seededRandom(seedFor(vector.alice.ratchetLabel)),
      now: clock,
      local: alice.local,
      bundle: fromHex(vector.bob.bundle),
      remoteAccountKey: fromHex(vector.bob.accountKey)
    })
    if (!started.ok) throw new Error(started.reason)
    for (const step of vector.transcript) {
      now = step.nowMs
      if (step.from === 'alice') expect(toHex(started.record.encrypt(new TextEncoder().encode(step.plaintext)))).toBe(step.message)
      else {
        const result = started.record.decrypt(fromHex(step.message))
        expect(result.ok && new TextDecoder().decode(result.plaintext)).toBe(step.plaintext)
      }
    }
    expect(toHex(started.record.serialize())).toBe(vector.finalRecords.alice)

    // Bob's view.
    now = vector.startMs
    const bobRandom = seededRandom(seedFor(vector.bob.ratchetLabel))
    let record: SessionRecord | undefined
    for (const step of vector.transcript) {
      now = step.nowMs
      if (step.from === 'bob') {
        expect(toHex((record as SessionRecord).encrypt(new TextEncoder().encode(step.plaintext)))).toBe(step.message)
        continue
      }
      if (!record) {
        const accepted = acceptSession({ random: bobRandom, now: clock, local: bob.local, preKeys: bob.preKeys, message: fromHex(step.message) })
        if (!accepted.ok) throw new Error(accepted.reason)
        record = accepted.record
        expect(new TextDecoder().decode(accepted.plaintext)).toBe(step.plaintext)
      } else {
        const result = record.decrypt(fromHex(step.message))
        expect(result.ok && new TextDecoder().decode(result.plaintext)).toBe(step.plaintext)
      }
    }
    expect(toHex((record as SessionRecord).serialize())).toBe(vector.finalRecords.bob)
    // The PQ step really happened: one header carries an X-Wing offer, a later one the answer.
    const headerSizes = vector.transcript.map((step: any) => step.encryptedHeaderBytes)
    expect(headerSizes.some((size: number) => size > 1216)).toBe(true)
    expect(headerSizes.some((size: number) => size > 1120 && size < 1216)).toBe(true)
  })

  it('sealed sender: the recorded envelopes open for the recorded recipient key', () => {
    const vector = load('sealed-sender.json')
    const recipient: X25519KeyPair = { secretKey: fromHex(vector.recipientIdentitySecretKey), publicKey: fromHex(vector.recipientIdentityPublicKey) }
    expect(toHex(x25519PublicKey(recipient.secretKey))).toBe(vector.recipientIdentityPublicKey)
    for (const recorded of vector.envelopes) {
      const opened = openEnvelope(fromHex(recorded.envelope), recipient, vector.nowMs)
      if (!opened.ok) throw new Error(opened.reason)
      expect(toHex(opened.envelope.content)).toBe(recorded.content)
      expect(opened.envelope.contentType).toBe(recorded.contentType)
      expect(toHex(opened.envelope.sender.bytes)).toBe(vector.senderCertificate)
      expect(opened.envelope.frankingCommitment ? toHex(opened.envelope.frankingCommitment) : undefined).toBe(recorded.frankingCommitment)
    }
    const token = deriveDeliveryToken(fromHex(vector.deliveryToken.profileSecret), fromHex(vector.deliveryToken.mailboxId))
    expect(toHex(token)).toBe(vector.deliveryToken.token)
    expect(toHex(deliveryTokenVerifier(token))).toBe(vector.deliveryToken.verifier)
  })

  it('sender keys: a member holding only the distribution reads every recorded message', () => {
    const vector = load('sender-keys.json')
    const member = SenderKeyRecord.createEmpty(fromHex(vector.distributionId))
    expect(member.processDistribution(fromHex(vector.distribution))).toEqual({ ok: true })
    for (const recorded of [...vector.messages].reverse()) {
      const result = member.decrypt(fromHex(recorded.message))
      expect(result.ok && new TextDecoder().decode(result.plaintext)).toBe(recorded.plaintext)
    }
    expect(member.decrypt(fromHex(vector.afterRotation.message))).toEqual({ ok: false, reason: 'unknown-chain' })
    expect(member.processDistribution(fromHex(vector.rotatedDistribution))).toEqual({ ok: true })
    const result = member.decrypt(fromHex(vector.afterRotation.message))
    expect(result.ok && new TextDecoder().decode(result.plaintext)).toBe(vector.afterRotation.plaintext)
  })

  it('safety numbers: the recorded digits and QR payloads', () => {
    const { tessera, signalAlgorithm } = load('safety-numbers.json')
    const alice = { accountKey: fromHex(tessera.aliceAccountKey) }
    const bob = { accountKey: fromHex(tessera.bobAccountKey) }
    expect(computeSafetyNumber(alice, bob).digits).toBe(tessera.digits)
    expect(tessera.digitsSeenByBob).toBe(tessera.digits)
    expect(compareSafetyNumberQr(fromHex(tessera.qrSeenByAlice), fromHex(tessera.qrSeenByBob))).toEqual({ kind: 'match' })
    const digits = thirtyDigits(
      iteratedFingerprintHash(signalAlgorithm.hashVersion, fromHex(signalAlgorithm.encodedKey), fromHex(signalAlgorithm.stableId), signalAlgorithm.iterations)
    )
    expect(digits).toBe(signalAlgorithm.thirtyDigits)
  })

  it('franking: the recorded report verifies and the attachment opens under its committed key', () => {
    const vector = load('franking.json')
    const verified = verifyReport(fromHex(vector.report), fromHex(vector.relayPublicKey))
    expect(verified.ok).toBe(true)
    if (verified.ok) {
      expect(toHex(verified.commitment)).toBe(vector.commitment)
      expect(toHex(verified.plaintext)).toBe(vector.plaintext)
    }
    const { attachment } = vector
    const opened = decryptAttachment(fromHex(attachment.key), fromHex(attachment.blob), {
      plaintextSha256: fromHex(attachment.plaintextSha256),
      ciphertextSha256: fromHex(attachment.ciphertextSha256)
    })
    expect(opened.ok && toHex(opened.plaintext)).toBe(attachment.plaintext)
  })
})
