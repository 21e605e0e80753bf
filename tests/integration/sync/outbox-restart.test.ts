// The outbox is durable: entries written while the relay is unreachable
// survive a client restart and go out afterwards, and an envelope the relay
// already stored before the client crashed (receipt lost) is not delivered a
// second time: the resend carries the same message id and the relay answers
// with a duplicate receipt.
import { createHash, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { RelayClient } from '../../../src/main/core/sync/relay-client'
import { sealTestMessage } from './support/aead-envelopes'
import type { RelayProcess } from './support/relay-process'
import { useRelayPair } from './support/relay-pair'
import type { TestClient } from './support/test-client'
import { waitFor } from './support/test-client'

describe('sync engine: durable outbox across client restarts', () => {
  let relay!: RelayProcess
  let alice!: TestClient
  let bob!: TestClient
  useRelayPair((started) => ({ relay, alice, bob } = started))

  it('sends after a restart what was queued while the relay was unreachable', async () => {
    await relay.stop()
    alice.start()
    for (let i = 0; i < 50; i++) alice.sendText(bob.asContact(), `queued-${i}`, `queued ${i}`)
    await waitFor(() => alice.states.some((s) => s.state === 'waiting'), 10_000, 'alice cannot connect')
    expect(alice.pendingOutbox()).toBe(50)

    await alice.restart() // process gone; only the database remains
    expect(alice.pendingOutbox()).toBe(50)
    await relay.launch()
    alice.start()
    bob.start()
    await waitFor(() => bob.messageCount() === 50, 20_000, 'queued messages delivered')
    await waitFor(() => alice.pendingOutbox() === 0, 5_000, 'outbox settled')
  })

  it('a resend after a crash between relay commit and local receipt is deduplicated', async () => {
    await alice.engine.stop()
    const { mailboxId, deliveryToken } = bob.mailbox
    const envelope = sealTestMessage(alice.sharedKey, mailboxId, { id: 'crash-window', body: 'sent once', sentAt: Date.now() })
    const messageId = new Uint8Array(randomBytes(16))
    alice.store.store.outbox.enqueue({ messageId, relayUrl: relay.url, mailboxId, deliveryToken, envelope, createdAt: Date.now() })
    // The previous process got this far: the relay stored the envelope, then the process died before markSent.
    const raw = await RelayClient.connect(relay.url)
    const first = await raw.send(mailboxId, messageId, deliveryToken, envelope)
    await raw.close()
    expect(first.duplicate).toBe(false)

    await alice.restart()
    alice.start()
    await waitFor(() => alice.pendingOutbox() === 0, 10_000, 'the resend settles the entry')
    const row = alice.store.db
      .prepare('SELECT state, receipt_duplicate, receipt_envelope_hash FROM outbox WHERE envelope_id = ?')
      .get(messageId) as { state: string; receipt_duplicate: number; receipt_envelope_hash: Buffer }
    expect(row.state).toBe('sent')
    expect(row.receipt_duplicate).toBe(1)
    expect(row.receipt_envelope_hash.equals(createHash('sha256').update(envelope).digest())).toBe(true)
    await waitFor(() => bob.messageIds().includes('crash-window'), 10_000, 'bob got it')
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(bob.messageIds().filter((id) => id === 'crash-window')).toHaveLength(1)
    expect(bob.stats.decrypted).toBe(51) // the relay delivered it once: no second copy ever reached bob
  })
})
