// The decrypt step used by the sync tests: an honest AEAD envelope, not the
// full sealed-sender/ratchet stack (that lives in src/main/core/crypto and is
// tested there). Each envelope is XChaCha20-Poly1305 under a key both test
// clients share, with the destination mailbox id as associated data, padded
// to a relay size bucket. A forged or corrupted envelope fails authentication
// and is reported as undecryptable, exactly what the engine must tolerate.
import { randomBytes } from 'node:crypto'
import { aeadDecrypt, aeadEncrypt, AEAD_NONCE_BYTES } from '../../../../src/main/core/crypto/primitives/aead'
import { loadSodium } from '../../../../src/main/core/crypto/sodium'
import type { DecryptedInbound } from '../../../../src/main/core/sync/store-backed-sync'
import type { DecryptBatch } from '../../../../src/main/core/sync/sync-store'
import { asMessageId } from '../../../../src/shared/ids'
import { padEnvelope, unpadEnvelope } from '../../../../src/shared/relay/padding'
import { TEST_CONVERSATION } from './temp-store'

export interface TestMessage {
  readonly id: string
  readonly body: string
  readonly sentAt: number
}

export async function readyCrypto(): Promise<void> {
  await loadSodium()
}

export function sealTestMessage(key: Uint8Array, mailboxId: Uint8Array, message: TestMessage): Uint8Array {
  const nonce = new Uint8Array(randomBytes(AEAD_NONCE_BYTES))
  const plaintext = new TextEncoder().encode(JSON.stringify(message))
  const ciphertext = aeadEncrypt(key, nonce, plaintext, mailboxId)
  const sealed = new Uint8Array(nonce.length + ciphertext.length)
  sealed.set(nonce)
  sealed.set(ciphertext, nonce.length)
  return padEnvelope(sealed)
}

export interface AeadDecryptStats {
  /** Envelopes opened, redelivered copies included. */
  decrypted: number
  undecryptable: number
  batches: number
  largestBatch: number
}

/** The engine's pluggable decrypt step over test envelopes; counts what it could not open. */
export function aeadDecryptStep(key: Uint8Array, senderId: string, stats: AeadDecryptStats = { decrypted: 0, undecryptable: 0, batches: 0, largestBatch: 0 }): DecryptBatch<DecryptedInbound> {
  return (batch) => {
    stats.batches++
    stats.largestBatch = Math.max(stats.largestBatch, batch.envelopes.length)
    const messages = []
    for (const envelope of batch.envelopes) {
      let plaintext: Uint8Array | null = null
      try {
        const sealed = unpadEnvelope(envelope.envelope)
        plaintext = aeadDecrypt(key, sealed.subarray(0, AEAD_NONCE_BYTES), sealed.subarray(AEAD_NONCE_BYTES), batch.mailbox.mailboxId)
      } catch {
        plaintext = null
      }
      if (plaintext === null) {
        stats.undecryptable++
        continue
      }
      stats.decrypted++
      const message = JSON.parse(new TextDecoder().decode(plaintext)) as TestMessage
      messages.push({
        id: asMessageId(message.id),
        conversationId: TEST_CONVERSATION,
        senderId,
        direction: 'incoming' as const,
        body: message.body,
        sentAt: message.sentAt,
        receivedAt: envelope.receivedAt,
        status: 'received' as const
      })
    }
    return { messages, sessionUpdates: [] }
  }
}
