// Duplicates the relay cannot catch are removed by the client. Once the
// relay's dedupe window has passed, a resend of an already delivered envelope
// (e.g. from a device restored from a backup whose outbox still lists it) is
// stored again under a new sequence number and pushed again: the client must
// decrypt it, recognise the message id, and store nothing new.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RelayClient } from '../../../src/main/core/sync/relay-client'
import { readyCrypto, sealTestMessage } from './support/aead-envelopes'
import { RelayProcess } from './support/relay-process'
import { createTestMailbox } from './support/test-account'
import { TestClient, waitFor } from './support/test-client'

describe('sync engine: duplicates the relay lets through', () => {
  let relay: RelayProcess
  let bob: TestClient

  beforeAll(async () => {
    await readyCrypto()
    // Forget acknowledged message ids almost at once, and look for them often.
    relay = await RelayProcess.start(['--dedupe-window-ms', '1', '--expiry-interval-ms', '100'])
    bob = await TestClient.create('bob', await createTestMailbox(relay.url), new Uint8Array(randomBytes(32)))
  })

  afterAll(async () => {
    await bob?.dispose()
    await relay?.dispose()
  })

  it('stores a message once even when the relay delivers it twice under two sequence numbers', async () => {
    bob.start()
    const { mailboxId, deliveryToken } = bob.mailbox
    const messageId = new Uint8Array(randomBytes(16))
    const envelope = sealTestMessage(bob.sharedKey, mailboxId, { id: 'only-once', body: 'hello', sentAt: Date.now() })
    const sender = await RelayClient.connect(relay.url)
    try {
      const first = await sender.send(mailboxId, messageId, deliveryToken, envelope)
      expect(first.duplicate).toBe(false)
      await waitFor(() => bob.messageCount() === 1, 10_000, 'first delivery stored')

      // Once the relay forgot the acknowledged id, the same envelope is a new message to it.
      let second = await sender.send(mailboxId, messageId, deliveryToken, envelope)
      for (let i = 0; second.duplicate && i < 50; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100))
        second = await sender.send(mailboxId, messageId, deliveryToken, envelope)
      }
      expect(second.duplicate).toBe(false)
    } finally {
      await sender.close()
    }
    await waitFor(() => bob.stats.decrypted === 2, 10_000, 'the second copy to reach bob')
    await waitFor(() => bob.progress.at(-1)?.received === 2, 5_000, 'the second copy committed')
    expect(bob.messageIds()).toEqual(['only-once'])
  })
})
