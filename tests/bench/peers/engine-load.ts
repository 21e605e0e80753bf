// End to end through the real client stack: alice's SyncEngine (durable
// outbox in SQLCipher) -> our relay -> bob's SyncEngine (decrypt, store with
// cursor in one transaction, ack). Shows what one desktop client pair gets,
// next to the relay-only figures of the lean load generator.
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { readyCrypto } from '../../integration/sync/support/aead-envelopes'
import { createTestMailbox } from '../../integration/sync/support/test-account'
import { TestClient, waitFor } from '../../integration/sync/support/test-client'
import { rateOf, type RateFigure } from './measure'

export async function measureEngineEndToEnd(relayUrl: string, total: number, timeoutMs: number): Promise<RateFigure> {
  await readyCrypto()
  const key = new Uint8Array(randomBytes(32))
  const alice = await TestClient.create('bench-alice', await createTestMailbox(relayUrl), key)
  const bob = await TestClient.create('bench-bob', await createTestMailbox(relayUrl), key)
  try {
    alice.start()
    bob.start()
    await waitFor(() => bob.states.some((s) => s.state === 'online'), 10_000, 'bob online')
    const startedAt = performance.now()
    // Enqueued in one transaction, as the messaging layer does with its ratchet updates.
    alice.store.db.transaction(() => {
      for (let i = 0; i < total; i++) alice.sendText(bob.asContact(), `bench-${i}`, `message ${i}`)
    })()
    await waitFor(() => bob.messageCount() === total && alice.pendingOutbox() === 0, timeoutMs, 'engine end-to-end run')
    return rateOf(total, startedAt, performance.now())
  } finally {
    await alice.dispose()
    await bob.dispose()
  }
}
