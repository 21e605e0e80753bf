// End to end with the project's real sealed-sender envelopes: alice's engine
// sends anonymous envelopes through the relay, bob's decrypt step opens them
// and learns the sender from the certificate, and a tampered envelope is
// recorded as undecryptable and acked without blocking the messages after it.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SyncEngine } from '../../../src/main/core/sync/sync-engine'
import { storeBackedSync, type DecryptedInbound } from '../../../src/main/core/sync/store-backed-sync'
import { readyCrypto } from './support/aead-envelopes'
import { RelayProcess } from './support/relay-process'
import { newSealedIdentity, sealedSenderStep, sealFor, type SealedStats } from './support/sealed-sender-step'
import { createTestMailbox, type TestMailbox } from './support/test-account'
import { TEST_RECONNECT, waitFor } from './support/test-client'
import { countMessages, createTempStore, type TempStore } from './support/temp-store'

describe('sync engine with real sealed-sender envelopes', () => {
  let relay: RelayProcess
  let bobStore: TempStore
  let aliceStore: TempStore
  let bobMailbox: TestMailbox
  let bobEngine: SyncEngine<DecryptedInbound>
  let aliceEngine: SyncEngine<DecryptedInbound>
  const stats: SealedStats = { opened: 0, refused: [] }

  beforeAll(async () => {
    await readyCrypto()
    relay = await RelayProcess.start()
    bobMailbox = await createTestMailbox(relay.url)
    ;[bobStore, aliceStore] = await Promise.all([createTempStore('tessera-bob-'), createTempStore('tessera-alice-')])
  })

  afterAll(async () => {
    await Promise.all([bobEngine?.stop(), aliceEngine?.stop()])
    bobStore?.dispose()
    aliceStore?.dispose()
    await relay?.dispose()
  })

  it('delivers anonymous envelopes whose sender only the recipient learns', async () => {
    const alice = newSealedIdentity()
    const bob = newSealedIdentity()
    const bobSync = storeBackedSync(bobStore.store)
    bobEngine = new SyncEngine({
      mailboxes: [{ relayUrl: bobMailbox.relayUrl, mailboxId: bobMailbox.mailboxId, signer: bobMailbox.signer }],
      inbound: bobSync.inbound,
      outbox: bobSync.outbox,
      decrypt: sealedSenderStep(bob, stats),
      reconnect: TEST_RECONNECT
    })
    const aliceSync = storeBackedSync(aliceStore.store)
    aliceEngine = new SyncEngine({
      mailboxes: [],
      inbound: aliceSync.inbound,
      outbox: aliceSync.outbox,
      decrypt: () => ({ messages: [], sessionUpdates: [] }),
      reconnect: TEST_RECONNECT
    })
    bobEngine.start()
    aliceEngine.start()

    const to = { relayUrl: bobMailbox.relayUrl, mailboxId: bobMailbox.mailboxId, deliveryToken: bobMailbox.deliveryToken }
    const envelopes = Array.from({ length: 12 }, (_, i) => sealFor(alice, bob.device.identity.publicKey, { id: `sealed-${i}`, body: `secret ${i}` }))
    // The relay sees these bytes: neither alice's account key nor her device identity is in them.
    for (const envelope of envelopes) {
      expect(Buffer.from(envelope).includes(Buffer.from(alice.accountKey))).toBe(false)
      expect(Buffer.from(envelope).includes(Buffer.from(alice.device.identity.publicKey))).toBe(false)
    }
    const tampered = envelopes[5]!.slice()
    tampered[100] = (tampered[100] ?? 0) ^ 0x40
    envelopes[5] = tampered
    for (const envelope of envelopes) aliceEngine.send({ ...to, envelope, messageId: new Uint8Array(randomBytes(16)) })

    await waitFor(() => stats.opened + stats.refused.length === 12, 15_000, 'all 12 envelopes processed')
    expect(stats.refused).toEqual(['layer1-failed'])
    expect(countMessages(bobStore.db)).toBe(11)
    const senders = bobStore.db.prepare('SELECT DISTINCT sender_id FROM messages').pluck().all()
    expect(senders).toEqual([Buffer.from(alice.accountKey).toString('hex')])
    // The tampered envelope was acked with its batch: the relay holds nothing more for bob.
    expect(bobStore.store.cursors.load({ relayUrl: bobMailbox.relayUrl, mailboxId: bobMailbox.mailboxId })).toBe(12)
  })
})
