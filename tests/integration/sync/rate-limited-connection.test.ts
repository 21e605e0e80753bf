// A relay with its default-like per-connection frame limit: a client draining
// a large outbox exceeds it. The relay then answers RATE_LIMITED, pauses the
// connection and drops frames it reads meanwhile (relay-protocol section 7).
// The engine must back off as asked and still deliver everything, promptly.
import { describe, expect, it } from 'vitest'
import type { OutboxStatusChanged } from '../../../src/main/core/sync/sync-events'
import { useRelayPair } from './support/relay-pair'
import type { TestClient } from './support/test-client'
import { waitFor } from './support/test-client'

const TOTAL = 1_000

describe('sync engine: a relay that rate-limits the connection', () => {
  let alice!: TestClient
  let bob!: TestClient
  useRelayPair((started) => ({ alice, bob } = started), ['--conn-frames-per-second', '300', '--conn-frames-burst', '100'])

  it(`delivers a ${TOTAL}-message outbox through a 300 frames/s connection limit`, { timeout: 60_000 }, async () => {
    const failures = new Map<string, number>()
    alice.engine.events.on('outboxStatusChanged', (event: OutboxStatusChanged) => {
      if (event.status === 'pending' && event.attempts > 0) failures.set(event.messageId, event.attempts)
    })
    alice.start()
    bob.start()
    const startedAt = Date.now()
    alice.store.db.transaction(() => {
      for (let i = 0; i < TOTAL; i++) alice.sendText(bob.asContact(), `limited-${i}`, `message ${i}`)
    })()
    await waitFor(() => bob.messageCount() === TOTAL && alice.pendingOutbox() === 0, 45_000, 'the whole outbox')
    const seconds = (Date.now() - startedAt) / 1000
    const errors = alice.store.db.prepare(`SELECT last_error, count(*) AS n FROM outbox WHERE last_error IS NOT NULL GROUP BY last_error`).all()
    console.log(`rate-limited drain: ${TOTAL} in ${seconds.toFixed(1)} s; retried entries ${failures.size}; last errors ${JSON.stringify(errors)}`)
    expect(failures.size).toBeGreaterThan(0) // the limit was actually hit
    // 1,000 sends at 300 frames/s take >= ~3.3 s; a client stuck on unanswered frames (request timeouts)
    // or retrying in lockstep would take far longer.
    expect(seconds).toBeLessThan(20)
  })
})
