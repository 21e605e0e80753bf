import { beforeAll, describe, expect, it } from 'vitest'
import { loadSodium } from '../../../../src/main/core/crypto/sodium'
import { randomBytes } from '../../../../src/main/core/crypto/primitives'
import { acceptSession, initiateSession } from '../../../../src/main/core/crypto/session'
import { frankingAssociatedData, type FrankingContext } from '../../../../src/main/core/crypto/franking/commitment'
import { checkOpening, frankMessage } from '../../../../src/main/core/crypto/franking/frank'
import { openEnvelope, sealEnvelope } from '../../../../src/main/core/crypto/sealed-sender/envelope'
import { NOW, makeAccount, type TestDevice } from '../fanout/accounts'

/**
 * Franking end to end over a real session and a real sealed envelope
 * (protocol sections 10.1-10.2 with 4 and 7.1): C rides in the envelope
 * header and in the ratchet's associated data, so a relay that swaps C
 * breaks decryption instead of producing an unreportable message.
 */

beforeAll(async () => {
  await loadSodium()
})

describe('franking bound into the AEAD associated data', () => {
  it('the recipient opens the message only with the commitment the sender bound, and the opening checks', () => {
    const alice = makeAccount(1)
    const bob = makeAccount(1, 10)
    const [a1] = alice.devices as [TestDevice]
    const [b1] = bob.devices as [TestDevice]
    const started = initiateSession({ local: a1.local, bundle: b1.bundle(), remoteAccountKey: bob.identity.publicKey, now: () => NOW })
    if (!started.ok) throw new Error(started.reason)

    const plaintext = new TextEncoder().encode('franked hello')
    const context: FrankingContext = {
      conversationId: randomBytes(32),
      messageId: randomBytes(16),
      senderAccountKey: alice.identity.publicKey,
      senderDeviceKey: a1.local.keys.signing.publicKey,
      recipientMailbox: randomBytes(32),
      sentAtMs: NOW
    }
    const franked = frankMessage({ context, plaintext, attachments: [], deviceSigningSecretKey: a1.local.keys.signing.secretKey }, randomBytes)
    // The E2E payload carries the opening and the message; C goes into the AD and the envelope header.
    const payload = new Uint8Array([...franked.opening, ...plaintext])
    const ciphertext = started.record.encrypt(payload, frankingAssociatedData(franked.commitment))
    const envelope = sealEnvelope({
      senderCertificate: a1.local.certificate,
      senderIdentity: a1.local.keys.identity,
      recipientIdentityKey: b1.local.keys.identity.publicKey,
      contentType: 1,
      content: ciphertext,
      sentAtMs: NOW,
      frankingCommitment: franked.commitment
    })

    const opened = openEnvelope(envelope, b1.local.keys.identity, NOW)
    if (!opened.ok || !opened.envelope.frankingCommitment) throw new Error('envelope did not open with a commitment')
    const swapped = acceptSession({
      local: b1.local,
      preKeys: b1.preKeys,
      message: opened.envelope.content,
      associatedData: frankingAssociatedData(randomBytes(32)),
      now: () => NOW
    })
    expect(swapped.ok).toBe(false)

    const accepted = acceptSession({
      local: b1.local,
      preKeys: b1.preKeys,
      message: opened.envelope.content,
      associatedData: frankingAssociatedData(opened.envelope.frankingCommitment),
      now: () => NOW
    })
    if (!accepted.ok) throw new Error(accepted.reason)
    const opening = accepted.plaintext.subarray(0, 98)
    const body = accepted.plaintext.subarray(98)
    expect(new TextDecoder().decode(body)).toBe('franked hello')
    expect(checkOpening({ commitment: opened.envelope.frankingCommitment, opening, context, plaintext: body, attachments: [] }).ok).toBe(true)
  })
})
