// The relay goes away and comes back on the same address and data dir: the
// engine reports waiting (with its next retry) and reconnects by itself;
// what was queued meanwhile in the durable outbox goes out afterwards.
import { describe, expect, it } from 'vitest'
import type { RelayProcess } from './support/relay-process'
import { useRelayPair } from './support/relay-pair'
import type { TestClient } from './support/test-client'
import { TEST_RECONNECT, waitFor } from './support/test-client'

describe('sync engine: relay restart', () => {
  let relay!: RelayProcess
  let alice!: TestClient
  let bob!: TestClient
  useRelayPair((started) => ({ relay, alice, bob } = started))

  it('reconnects with backoff after the relay restarts and resumes from the cursor', async () => {
    alice.start()
    bob.start()
    for (let i = 0; i < 5; i++) alice.sendText(bob.asContact(), `before-${i}`, 'before restart')
    await waitFor(() => bob.messageCount() === 5, 10_000, 'first messages')

    await relay.stop()
    await waitFor(() => bob.states.some((s) => s.state === 'waiting'), 10_000, 'bob notices the relay is gone')
    for (let i = 0; i < 5; i++) alice.sendText(bob.asContact(), `during-${i}`, 'while the relay is down')
    // Let a few attempts fail so the backoff grows.
    await waitFor(() => bob.states.filter((s) => s.state === 'waiting').length >= 3, 10_000, 'several failed attempts')
    const waits = bob.states.filter((s) => s.state === 'waiting')
    // The first wait follows the relay's going-away close; the later ones failed to connect at all.
    expect(waits.slice(1).every((wait) => wait.reason === 'CONNECT_FAILED')).toBe(true)
    for (const wait of waits) {
      expect(wait.nextRetryMs).toBeGreaterThanOrEqual(TEST_RECONNECT.baseMs / 2)
      expect(wait.nextRetryMs).toBeLessThanOrEqual(TEST_RECONNECT.capMs)
    }
    // Each failed attempt counts one more: consecutive attempt numbers.
    waits.forEach((wait, i) => expect(wait.attempt).toBe(waits[0]!.attempt + i))
    expect(alice.pendingOutbox()).toBe(5)

    expect(bob.engine.connectionStates()).toEqual([bob.states.at(-1)])
    expect(['waiting', 'connecting']).toContain(bob.engine.connectionStates()[0]?.state)
    const onlineBefore = bob.states.filter((s) => s.state === 'online').length
    await relay.launch()
    bob.engine.retryNow() // as when the OS reports the network is back: no need to sit out the backoff
    await waitFor(() => bob.states.filter((s) => s.state === 'online').length > onlineBefore, 15_000, 'bob back online')
    expect(bob.engine.connectionStates()[0]?.state).toBe('online')
    await waitFor(() => bob.messageCount() === 10, 15_000, 'queued messages delivered after restart')
    await waitFor(() => alice.pendingOutbox() === 0, 5_000, 'receipts recorded') // bob may store a message before alice records its receipt
    expect(bob.messageIds().filter((id) => id.startsWith('during-'))).toHaveLength(5)
  })
})
