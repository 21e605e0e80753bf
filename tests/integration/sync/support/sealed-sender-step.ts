// A decrypt step over the project's real sealed-sender envelopes
// (src/main/core/crypto/sealed-sender, docs/protocol.md section 7.1): the
// relay sees only the destination; the recipient learns the sender from the
// account-signed certificate inside. The ratchet layer is not involved here
// (the content is a small JSON message); sealed sender is what the relay path
// carries, and it is what these tests need to show end to end.
import { generateAccountIdentity, generateDeviceKeys, issueDeviceCertificate, type DeviceCertificate, type DeviceKeys } from '../../../../src/main/core/crypto/identity'
import { openEnvelope, sealEnvelope } from '../../../../src/main/core/crypto/sealed-sender'
import type { DecryptedInbound } from '../../../../src/main/core/sync/store-backed-sync'
import type { DecryptBatch } from '../../../../src/main/core/sync/sync-store'
import { asMessageId } from '../../../../src/shared/ids'
import { padEnvelope, unpadEnvelope } from '../../../../src/shared/relay/padding'
import { TEST_CONVERSATION } from './temp-store'

/** Content type of the test's plain JSON messages inside the sealed envelope. */
const CONTENT_TYPE_TEST_JSON = 0x7f

export interface SealedIdentity {
  readonly accountKey: Uint8Array
  readonly device: DeviceKeys
  readonly certificate: DeviceCertificate
}

export function newSealedIdentity(): SealedIdentity {
  const account = generateAccountIdentity()
  const device = generateDeviceKeys(1)
  return { accountKey: account.publicKey, device, certificate: issueDeviceCertificate(account, device, Date.now()) }
}

export function sealFor(sender: SealedIdentity, recipientIdentityKey: Uint8Array, message: { id: string; body: string }): Uint8Array {
  const sentAtMs = Date.now()
  return padEnvelope(
    sealEnvelope({
      senderCertificate: sender.certificate,
      senderIdentity: sender.device.identity,
      recipientIdentityKey,
      contentType: CONTENT_TYPE_TEST_JSON,
      content: new TextEncoder().encode(JSON.stringify({ ...message, sentAt: sentAtMs })),
      sentAtMs
    })
  )
}

export interface SealedStats {
  opened: number
  refused: string[]
}

/** Opens each envelope with the recipient's identity; the stored sender is the certificate's account key. */
export function sealedSenderStep(recipient: SealedIdentity, stats: SealedStats): DecryptBatch<DecryptedInbound> {
  return (batch) => {
    const messages = []
    for (const received of batch.envelopes) {
      let opened: ReturnType<typeof openEnvelope>
      try {
        opened = openEnvelope(unpadEnvelope(received.envelope), recipient.device.identity, Date.now())
      } catch {
        opened = { ok: false, reason: 'malformed' }
      }
      if (!opened.ok) {
        stats.refused.push(opened.reason)
        continue
      }
      stats.opened++
      const content = JSON.parse(new TextDecoder().decode(opened.envelope.content)) as { id: string; body: string; sentAt: number }
      messages.push({
        id: asMessageId(content.id),
        conversationId: TEST_CONVERSATION,
        senderId: Buffer.from(opened.envelope.sender.accountKey).toString('hex'),
        direction: 'incoming' as const,
        body: content.body,
        sentAt: opened.envelope.sentAtMs,
        receivedAt: received.receivedAt,
        status: 'received' as const
      })
    }
    return { messages, sessionUpdates: [] }
  }
}
