// Two clients on one real relay process: messages both ways, offline
// delivery, and the state/progress events the UI sees.
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { RelayProcess } from './support/relay-process'
import { createTestMailbox } from './support/test-account'
import { useRelayPair } from './support/relay-pair'
import { TestClient, waitFor } from './support/test-client'

describe('sync engine: two clients, one relay', () => {
  let relay!: RelayProcess
  let alice!: TestClient
  let bob!: TestClient
  useRelayPair((started) => ({ relay, alice, bob } = started))

  it('exchanges messages both ways and reports online + caught-up', async () => {
    alice.start()
    bob.start()
    await waitFor(() => alice.states.some((s) => s.state === 'online') && bob.states.some((s) => s.state === 'online'), 10_000, 'both online')
    expect(alice.states.map((s) => s.state).slice(0, 3)).toEqual(['connecting', 'authenticating', 'online'])
    for (let i = 0; i < 20; i++) alice.sendText(bob.asContact(), `a2b-${i}`, `hi bob ${i}`)
    for (let i = 0; i < 15; i++) bob.sendText(alice.asContact(), `b2a-${i}`, `hi alice ${i}`)
    await waitFor(() => bob.messageCount() === 20 && alice.messageCount() === 15, 15_000, 'both inboxes filled')
    expect(bob.messageIds()).toEqual(Array.from({ length: 20 }, (_, i) => `a2b-${i}`).sort())
    await waitFor(() => alice.pendingOutbox() === 0 && bob.pendingOutbox() === 0, 5_000, 'outboxes drained')
    expect(bob.progress.at(-1)).toMatchObject({ relayUrl: relay.url, received: 20 })
    expect(bob.progress.some((p) => p.remaining === 0)).toBe(true)
    expect(alice.stats.undecryptable + bob.stats.undecryptable).toBe(0)
  })

  it('reports why it cannot read a mailbox the relay does not know, and keeps retrying', async () => {
    const real = await createTestMailbox(relay.url)
    const unknown = { ...real, mailboxId: new Uint8Array(randomBytes(32)) }
    const stranger = await TestClient.create('stranger', unknown, bob.sharedKey)
    try {
      stranger.start()
      await waitFor(() => stranger.states.filter((s) => s.state === 'waiting').length >= 2, 10_000, 'two failed attempts')
      const waits = stranger.states.filter((s) => s.state === 'waiting')
      expect(waits.map((wait) => wait.reason)).toEqual(waits.map(() => 'MAILBOX_NOT_FOUND'))
      expect(stranger.states.filter((s) => s.relayUrl === relay.url && s.state === 'online')).toHaveLength(0)
      // Reading is refused, but sending needs no authentication: a send-only session carries it.
      const before = bob.messageCount()
      stranger.sendText(bob.asContact(), 'from-stranger', 'hello anyway')
      await waitFor(() => bob.messageCount() === before + 1, 15_000, 'the stranger reaches bob')
    } finally {
      await stranger.dispose()
    }
  })

  it('delivers what was sent while the recipient was offline, from its durable cursor', async () => {
    await bob.engine.stop()
    expect(bob.states.at(-1)?.state).toBe('offline')
    const before = bob.messageCount()
    for (let i = 0; i < 300; i++) alice.sendText(bob.asContact(), `offline-${i}`, `while you were away ${i}`)
    await waitFor(() => alice.pendingOutbox() === 0, 15_000, 'relay accepted all 300')
    await bob.restart() // a new process: database reopened, engine rebuilt
    bob.start()
    await waitFor(() => bob.messageCount() === before + 300, 20_000, 'offline backlog delivered')
    // 300 > the relay's 256 in-flight window: the backlog arrived in more than one batch.
    expect(bob.stats.batches).toBeGreaterThanOrEqual(2)
    await waitFor(() => bob.progress.at(-1)?.remaining === 0, 5_000, 'queue-empty progress')
    expect(bob.progress.at(-1)?.received).toBe(300)
  })
})
