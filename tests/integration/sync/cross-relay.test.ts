// A client whose home is relay X writes to a contact on relay Y: the engine
// opens a send-only session to Y (no authentication: sealed sender) and the
// reply comes back to X.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readyCrypto } from './support/aead-envelopes'
import { RelayProcess } from './support/relay-process'
import { createTestMailbox } from './support/test-account'
import { TestClient, waitFor } from './support/test-client'

describe('sync engine: contacts on different relays', () => {
  let relayX: RelayProcess
  let relayY: RelayProcess
  let alice: TestClient
  let bob: TestClient

  beforeAll(async () => {
    await readyCrypto()
    ;[relayX, relayY] = await Promise.all([RelayProcess.start(), RelayProcess.start()])
    const sharedKey = new Uint8Array(randomBytes(32))
    alice = await TestClient.create('alice', await createTestMailbox(relayX.url), sharedKey, { idleSendSessionMs: 500 })
    bob = await TestClient.create('bob', await createTestMailbox(relayY.url), sharedKey)
  })

  afterAll(async () => {
    await alice?.dispose()
    await bob?.dispose()
    await Promise.all([relayX?.dispose(), relayY?.dispose()])
  })

  it('alice on X writes to bob on Y and bob answers back to X', async () => {
    alice.start()
    bob.start()
    for (let i = 0; i < 10; i++) alice.sendText(bob.asContact(), `x2y-${i}`, `from X ${i}`)
    await waitFor(() => bob.messageCount() === 10, 15_000, 'bob received on Y')
    // Alice has a reading session on X and a send-only session on Y.
    expect(new Set(alice.states.map((s) => s.relayUrl))).toEqual(new Set([relayX.url, relayY.url]))
    expect(alice.states.filter((s) => s.relayUrl === relayY.url).some((s) => s.state === 'authenticating')).toBe(false)
    for (let i = 0; i < 10; i++) bob.sendText(alice.asContact(), `y2x-${i}`, `from Y ${i}`)
    await waitFor(() => alice.messageCount() === 10, 15_000, 'alice received on X')
    expect(alice.messageIds()).toEqual(Array.from({ length: 10 }, (_, i) => `y2x-${i}`).sort())
  })

  it('closes the send-only session to Y once the outbox for Y stayed empty, and reopens it for the next send', async () => {
    await waitFor(() => alice.states.filter((s) => s.relayUrl === relayY.url).at(-1)?.state === 'offline', 10_000, 'idle session to Y closed')
    await waitFor(() => alice.engine.connectionStates().find((s) => s.relayUrl === relayY.url)?.state === 'offline', 5_000, 'snapshot shows Y offline')
    expect(alice.engine.connectionStates().find((s) => s.relayUrl === relayX.url)?.state).toBe('online')
    alice.sendText(bob.asContact(), 'x2y-later', 'after a pause')
    await waitFor(() => bob.messageIds().includes('x2y-later'), 10_000, 'the later message')
  })
})
