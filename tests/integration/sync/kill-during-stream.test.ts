// kill -9 the relay in the middle of a 10,000-message stream, restart it:
// every message the relay acknowledged (signed receipt) survives, the sender's
// outbox resends the rest under the same ids, and the recipient stores each
// message exactly once however often it was delivered.
import { describe, expect, it } from 'vitest'
import type { RelayProcess } from './support/relay-process'
import { useRelayPair } from './support/relay-pair'
import type { TestClient } from './support/test-client'
import { waitFor } from './support/test-client'

const TOTAL = 10_000

describe('sync engine: relay killed (SIGKILL) mid-stream', () => {
  let relay!: RelayProcess
  let alice!: TestClient
  let bob!: TestClient
  useRelayPair((started) => ({ relay, alice, bob } = started))

  it(`loses no acknowledged message of ${TOTAL} and stores none twice`, { timeout: 180_000 }, async () => {
    alice.start()
    bob.start()
    await waitFor(() => bob.states.some((s) => s.state === 'online'), 10_000, 'bob online')
    const testIdByEnvelope = new Map<string, string>()
    // The messaging layer enqueues in one transaction (as it would with its ratchet updates), then the engine sends.
    alice.store.db.transaction(() => {
      for (let i = 0; i < TOTAL; i++) testIdByEnvelope.set(alice.sendText(bob.asContact(), `s-${String(i).padStart(5, '0')}`, `stream ${i}`), `s-${String(i).padStart(5, '0')}`)
    })()

    const sentCount = alice.store.db.prepare(`SELECT count(*) FROM outbox WHERE state = 'sent'`).pluck()
    await waitFor(() => (sentCount.get() as number) >= TOTAL * 0.3, 60_000, 'the stream to be well under way')
    await relay.kill9()
    await alice.engine.stop() // alice cannot resend: what bob gets next comes from the relay's disk alone
    const acknowledged = alice.store.db
      .prepare(`SELECT lower(hex(envelope_id)) FROM outbox WHERE state = 'sent'`)
      .pluck()
      .all() as string[]
    expect(acknowledged.length).toBeGreaterThan(0)
    expect(acknowledged.length).toBeLessThan(TOTAL) // killed mid-stream, not after it

    const progressMark = bob.progress.length
    await relay.launch()
    const expected = acknowledged.map((id) => testIdByEnvelope.get(id)!)
    await waitFor(() => bob.progress.slice(progressMark).some((p) => p.remaining === 0), 60_000, 'bob drains the surviving backlog')
    const stored = new Set(bob.messageIds())
    const lost = expected.filter((id) => !stored.has(id))
    expect(lost, `acknowledged but lost: ${lost.slice(0, 5).join(', ')}`).toEqual([])

    // Alice comes back (a new process over the same database) and her outbox finishes the stream.
    await alice.restart()
    alice.start()
    await waitFor(() => alice.pendingOutbox() === 0 && bob.messageCount() === TOTAL, 120_000, 'the rest of the stream')
    await new Promise((resolve) => setTimeout(resolve, 300)) // a late duplicate would show up now
    const ids = bob.messageIds()
    expect(ids).toHaveLength(TOTAL)
    expect(new Set(ids).size).toBe(TOTAL)
    expect(ids).toEqual([...testIdByEnvelope.values()].sort())
    // Copies bob decrypted beyond TOTAL were redeliveries, removed by the cursor or the message-id check.
    expect(bob.stats.decrypted).toBeGreaterThanOrEqual(TOTAL)
    console.log(`kill -9 stream: ${acknowledged.length} acknowledged before the kill; bob opened ${bob.stats.decrypted} envelopes for ${TOTAL} messages`)
  })
})
