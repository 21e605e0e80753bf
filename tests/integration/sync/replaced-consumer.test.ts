// Two running copies of one device read the same mailbox. The relay allows
// one consumer and closes the older connection with 4001; the engine then
// waits its longest backoff instead of taking the mailbox straight back, so
// the copies do not fight in a reconnect loop, and no message is lost.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readyCrypto } from './support/aead-envelopes'
import { RelayProcess } from './support/relay-process'
import { createTestMailbox } from './support/test-account'
import { TestClient, TEST_RECONNECT, waitFor } from './support/test-client'

describe('sync engine: a second consumer of the same mailbox', () => {
  let relay: RelayProcess
  let first: TestClient
  let second: TestClient
  let alice: TestClient

  beforeAll(async () => {
    await readyCrypto()
    relay = await RelayProcess.start()
    const sharedKey = new Uint8Array(randomBytes(32))
    const mailbox = await createTestMailbox(relay.url)
    first = await TestClient.create('bob-copy-1', mailbox, sharedKey)
    second = await TestClient.create('bob-copy-2', mailbox, sharedKey)
    alice = await TestClient.create('alice', await createTestMailbox(relay.url), sharedKey)
  })

  afterAll(async () => {
    await Promise.all([first?.dispose(), second?.dispose(), alice?.dispose()])
    await relay?.dispose()
  })

  it('backs off to the longest delay when replaced, and the messages still arrive', async () => {
    first.start()
    await waitFor(() => first.states.some((s) => s.state === 'online'), 10_000, 'first copy online')
    second.start()
    await waitFor(() => first.states.some((s) => s.state === 'waiting'), 10_000, 'first copy replaced')
    const replacedWait = first.states.find((s) => s.state === 'waiting')
    expect(replacedWait?.nextRetryMs).toBeGreaterThanOrEqual(TEST_RECONNECT.capMs)
    expect(replacedWait?.reason).toBe('CLOSED:4001')

    alice.start()
    for (let i = 0; i < 20; i++) alice.sendText(first.asContact(), `to-bob-${i}`, 'hi')
    await new Promise((resolve) => setTimeout(resolve, 3_000))
    // Without the long wait the two copies would take the mailbox from each other every ~100 ms.
    const onlines = first.states.filter((s) => s.state === 'online').length + second.states.filter((s) => s.state === 'online').length
    expect(onlines).toBeLessThanOrEqual(8)
    // Each message is in at least one copy's database (whichever held the mailbox when it arrived).
    const union = new Set([...first.messageIds(), ...second.messageIds()])
    expect(union.size).toBe(20)
  })
})
