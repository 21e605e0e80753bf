import { beforeAll, describe, expect, it } from 'vitest'
import { loadSodium } from '../../../../src/main/core/crypto/sodium'
import { generateEd25519KeyPair, randomBytes, toHex } from '../../../../src/main/core/crypto/primitives'
import { generateAccountIdentity, generateDeviceKeys, issueDeviceCertificate } from '../../../../src/main/core/crypto/identity'
import { sealEnvelope } from '../../../../src/main/core/crypto/sealed-sender/envelope'
import { deriveDeliveryToken } from '../../../../src/main/core/crypto/sealed-sender/delivery-token'
import { frankMessage } from '../../../../src/main/core/crypto/franking/frank'
import { computeFrankingCommitment } from '../../../../src/main/core/crypto/franking/commitment'
import { stampCommitment } from '../../../../src/main/core/crypto/franking/stamp'
import { decryptAttachment } from '../../../../src/main/core/crypto/franking/attachment'
import { SenderKeyRecord } from '../../../../src/main/core/crypto/sender-keys/record'

/**
 * Secrets never appear in thrown error messages (architecture: secrets
 * hygiene). Every misuse path of the messaging-layer crypto is driven with
 * real secret keys, and no message may contain them in hex, base64 or as a
 * decimal byte list.
 */

function renderings(secret: Uint8Array): string[] {
  return [toHex(secret), Buffer.from(secret).toString('base64'), Array.from(secret.subarray(0, 8)).join(',')]
}

function thrownMessage(action: () => unknown): string {
  try {
    action()
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message} ${String((error as Error).stack)}`
  }
  throw new Error('expected the action to throw')
}

beforeAll(async () => {
  await loadSodium()
})

describe('no secret in error messages', () => {
  it('holds for every misuse error of sections 7, 8 and 10', () => {
    const account = generateAccountIdentity()
    const device = generateDeviceKeys(1)
    const certificate = issueDeviceCertificate(account, device, 1)
    const other = generateDeviceKeys(2)
    const relay = generateEd25519KeyPair()
    const profileSecret = randomBytes(32)
    const frankingKey = randomBytes(32)
    const secrets = [device.identity.secretKey, device.signing.secretKey, relay.secretKey, profileSecret, frankingKey, account.secretKey]
    const context = {
      conversationId: randomBytes(32),
      messageId: randomBytes(16),
      senderAccountKey: account.publicKey,
      senderDeviceKey: other.signing.publicKey,
      recipientMailbox: randomBytes(32),
      sentAtMs: 1
    }
    const messages = [
      thrownMessage(() =>
        sealEnvelope({ senderCertificate: certificate, senderIdentity: other.identity, recipientIdentityKey: device.identity.publicKey, contentType: 1, content: new Uint8Array(1), sentAtMs: 1 })
      ),
      thrownMessage(() =>
        sealEnvelope({ senderCertificate: certificate, senderIdentity: device.identity, recipientIdentityKey: device.identity.secretKey.subarray(1), contentType: 1, content: new Uint8Array(1), sentAtMs: 1 })
      ),
      thrownMessage(() => deriveDeliveryToken(profileSecret.subarray(1), randomBytes(32))),
      thrownMessage(() => frankMessage({ context, plaintext: new Uint8Array(1), attachments: [], deviceSigningSecretKey: device.signing.secretKey }, randomBytes)),
      thrownMessage(() => computeFrankingCommitment(Uint8Array.of(...frankingKey, 0), context, new Uint8Array(1), [])),
      thrownMessage(() => stampCommitment(relay.secretKey.subarray(1), randomBytes(32), randomBytes(32), 1)),
      thrownMessage(() => decryptAttachment(Uint8Array.of(...frankingKey, 1), new Uint8Array(80), { plaintextSha256: randomBytes(32), ciphertextSha256: randomBytes(32) })),
      thrownMessage(() => SenderKeyRecord.createEmpty(randomBytes(16)).encrypt(frankingKey))
    ]
    for (const message of messages) {
      for (const secret of secrets) {
        for (const rendering of renderings(secret)) expect(message).not.toContain(rendering)
      }
    }
  })
})
