// How the outbox treats the relay's answers: permanent refusals fail the
// entry at once (with the relay's typed code), a send without a delivery
// token lands in the recipient's first-contact queue, and RATE_LIMITED is
// retried after the relay's retryAfterMs until everything is through.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatContactAddress } from '../../../src/main/core/sync/contact-address'
import type { OutboxStatusChanged } from '../../../src/main/core/sync/sync-events'
import { readyCrypto } from './support/aead-envelopes'
import { RelayProcess } from './support/relay-process'
import { createTestMailbox } from './support/test-account'
import { TestClient, waitFor } from './support/test-client'

describe('sync engine: outbox outcomes', () => {
  let relay: RelayProcess
  let alice: TestClient
  let bob: TestClient
  const outcomes = new Map<string, OutboxStatusChanged>()

  beforeAll(async () => {
    await readyCrypto()
    // A strict per-mailbox send limit so that a burst of 30 is rate-limited (the defaults are raised for other tests).
    relay = await RelayProcess.start(['--mailbox-sends-per-second', '20', '--mailbox-sends-burst', '5'])
    const sharedKey = new Uint8Array(randomBytes(32))
    alice = await TestClient.create('alice', await createTestMailbox(relay.url), sharedKey)
    bob = await TestClient.create('bob', await createTestMailbox(relay.url), sharedKey)
    alice.engine.events.on('outboxStatusChanged', (event) => outcomes.set(event.messageId, event))
    alice.start()
    bob.start()
  })

  afterAll(async () => {
    await alice?.dispose()
    await bob?.dispose()
    await relay?.dispose()
  })

  it('fails at once, with the typed code, a send with a wrong delivery token', async () => {
    const id = alice.sendText({ address: bob.mailbox.address, deliveryToken: new Uint8Array(randomBytes(32)) }, 'wrong-token', 'x')
    await waitFor(() => outcomes.get(id)?.status === 'failed', 10_000, 'the refusal')
    expect(outcomes.get(id)).toEqual({ messageId: id, status: 'failed', attempts: 1, errorCode: 'DELIVERY_TOKEN_INVALID' })
    expect(alice.pendingOutbox()).toBe(0)
  })

  it('fails a send to a mailbox the relay does not know', async () => {
    const nowhere = formatContactAddress({ relayUrl: relay.url, mailboxId: new Uint8Array(randomBytes(32)) })
    const id = alice.sendText({ address: nowhere, deliveryToken: new Uint8Array(randomBytes(32)) }, 'no-mailbox', 'x')
    await waitFor(() => outcomes.get(id)?.status === 'failed', 10_000, 'the refusal')
    expect(outcomes.get(id)?.errorCode).toBe('MAILBOX_NOT_FOUND')
  })

  it('delivers a send without a token to the first-contact queue', async () => {
    const id = alice.sendText({ address: bob.mailbox.address, deliveryToken: new Uint8Array(0) }, 'hello-stranger', 'message request')
    await waitFor(() => outcomes.get(id)?.status === 'sent', 10_000, 'first-contact send')
    await waitFor(() => bob.messageIds().includes('hello-stranger'), 10_000, 'bob got the message request')
    expect(bob.firstContactSeen).toBeGreaterThanOrEqual(1)
  })

  it('retries RATE_LIMITED sends after the relay says when, until all are through', async () => {
    const before = bob.messageCount()
    const ids = Array.from({ length: 30 }, (_, i) => alice.sendText(bob.asContact(), `burst-${i}`, `burst ${i}`))
    await waitFor(() => bob.messageCount() === before + 30, 30_000, 'the whole burst')
    await waitFor(() => ids.every((id) => outcomes.get(id)?.status === 'sent'), 5_000, 'all sent')
    // Some sends were refused at first and needed more than one attempt.
    expect(Math.max(...ids.map((id) => outcomes.get(id)?.attempts ?? 0))).toBeGreaterThan(1)
  })
})
