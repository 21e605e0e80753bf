import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RelayClient, verifyRelayReceipt } from '../../../src/main/core/sync/relay-client'
import { RelayCloseCode } from '../../../src/shared/relay/index'
import { Inbox, connectOwner, envelopeOf, messageId, newOwner } from './support/mailbox-owner'
import { UNLIMITED, spawnRelay } from './support/relay-process'
import type { RelayProcess } from './support/relay-process'

// Store-and-forward through a real relay process (docs/relay-protocol.md 4.4-4.6).
describe('relay exchange', () => {
  let relay: RelayProcess
  beforeAll(async () => {
    relay = await spawnRelay({ args: UNLIMITED })
  })
  afterAll(async () => {
    expect(await relay.stop()).toBe(0)
  })

  it('two clients exchange envelopes both ways with verifiable receipts', async () => {
    const alice = newOwner()
    const bob = newOwner()
    const aliceClient = await connectOwner(relay.url, alice)
    const bobClient = await connectOwner(relay.url, bob)
    const aliceInbox = new Inbox(aliceClient)
    const bobInbox = new Inbox(bobClient)
    await aliceClient.subscribe(0)
    await bobClient.subscribe(0)

    const toBob = envelopeOf('hi bob')
    const receipt = await aliceClient.send(bob.mailboxId, messageId(), bob.deliveryToken, toBob)
    expect(verifyRelayReceipt(relay.relayKey, bob.mailboxId, toBob, receipt)).toBe(true)
    expect(verifyRelayReceipt(relay.relayKey, alice.mailboxId, toBob, receipt)).toBe(false)
    await bobInbox.until(() => bobInbox.delivered.length === 1)
    expect(bobInbox.texts()).toEqual(['hi bob'])
    expect(bobInbox.delivered[0]?.firstContact).toBe(false)

    await bobClient.send(alice.mailboxId, messageId(), alice.deliveryToken, envelopeOf('hi alice'))
    await aliceInbox.until(() => aliceInbox.delivered.length === 1)
    expect(aliceInbox.texts()).toEqual(['hi alice'])
    await Promise.all([aliceClient.close(), bobClient.close()])
  })

  it('delivers offline messages in order, then queueEmpty, then live ones', async () => {
    const bob = newOwner()
    const setup = await connectOwner(relay.url, bob)
    await setup.close()
    const sender = await RelayClient.connect(relay.url)
    for (let i = 0; i < 300; i++) await sender.send(bob.mailboxId, messageId(), bob.deliveryToken, envelopeOf(`m${i}`))

    const bobClient = await connectOwner(relay.url, bob)
    const inbox = new Inbox(bobClient)
    await bobClient.subscribe(0)
    // At most 256 unacknowledged in flight (4.4): the rest waits for acks.
    await inbox.until(() => inbox.delivered.length === 256)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(inbox.delivered.length).toBe(256)
    expect(inbox.queueEmpty).toBeUndefined()
    await bobClient.ack(256)
    await inbox.until(() => inbox.queueEmpty !== undefined)
    expect(inbox.delivered.map((frame) => frame.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1))
    expect(inbox.texts()).toEqual(Array.from({ length: 300 }, (_, i) => `m${i}`))
    expect(inbox.queueEmpty).toBe(300)

    await sender.send(bob.mailboxId, messageId(), bob.deliveryToken, envelopeOf('live'))
    await inbox.until(() => inbox.delivered.length === 301)
    expect(inbox.texts().at(-1)).toBe('live')
    await Promise.all([bobClient.close(), sender.close()])
  })

  it('redelivers exactly the unacknowledged messages (cumulative and selective acks)', async () => {
    const bob = newOwner()
    const sender = await RelayClient.connect(relay.url)
    const first = await connectOwner(relay.url, bob)
    for (let i = 1; i <= 10; i++) await sender.send(bob.mailboxId, messageId(), bob.deliveryToken, envelopeOf(`m${i}`))
    const inbox = new Inbox(first)
    await first.subscribe(0)
    await inbox.until(() => inbox.delivered.length === 10)
    await first.ack(3, [5, 7])
    await first.close()

    const second = await connectOwner(relay.url, bob)
    const again = new Inbox(second)
    await second.subscribe(0)
    await again.until(() => again.queueEmpty !== undefined)
    expect(again.delivered.map((frame) => frame.seq)).toEqual([4, 6, 8, 9, 10])
    await Promise.all([second.close(), sender.close()])
  })

  it('dedupes by message id and returns the original receipt', async () => {
    const bob = newOwner()
    await (await connectOwner(relay.url, bob)).close()
    const sender = await RelayClient.connect(relay.url)
    const id = messageId()
    const envelope = envelopeOf('once')
    const original = await sender.send(bob.mailboxId, id, bob.deliveryToken, envelope)
    const retry = await sender.send(bob.mailboxId, id, bob.deliveryToken, envelope)
    expect(original.duplicate).toBe(false)
    expect(retry.duplicate).toBe(true)
    expect(retry.receivedAt).toBe(original.receivedAt)
    expect(verifyRelayReceipt(relay.relayKey, bob.mailboxId, envelope, retry)).toBe(true)
    const bobClient = await connectOwner(relay.url, bob)
    const inbox = new Inbox(bobClient)
    await bobClient.subscribe(0)
    await inbox.until(() => inbox.queueEmpty !== undefined)
    expect(inbox.delivered).toHaveLength(1)
    await Promise.all([bobClient.close(), sender.close()])
  })

  it('keeps one consumer per mailbox: a new subscriber closes the old one with 4001', async () => {
    const bob = newOwner()
    const old = await connectOwner(relay.url, bob)
    await old.subscribe(0)
    const closed = new Promise<number>((resolve) => old.onClose((info) => resolve(info.code)))
    const replacement = await connectOwner(relay.url, bob)
    await replacement.subscribe(0)
    expect(await closed).toBe(RelayCloseCode.REPLACED_BY_NEW_CONSUMER)
    const inbox = new Inbox(replacement)
    const sender = await RelayClient.connect(relay.url)
    await sender.send(bob.mailboxId, messageId(), bob.deliveryToken, envelopeOf('to the new one'))
    await inbox.until(() => inbox.delivered.length === 1)
    await Promise.all([replacement.close(), sender.close()])
  })
})

describe('relay restart', () => {
  it('keeps stored messages and seqs across a restart; clients reconnect and resume from their cursor', async () => {
    const relay = await spawnRelay({ args: UNLIMITED })
    const bob = newOwner()
    const sender = await RelayClient.connect(relay.url)
    const bobClient = await connectOwner(relay.url, bob)
    const inbox = new Inbox(bobClient)
    await bobClient.subscribe(0)
    for (let i = 1; i <= 5; i++) await sender.send(bob.mailboxId, messageId(), bob.deliveryToken, envelopeOf(`before ${i}`))
    await inbox.until(() => inbox.delivered.length === 5)
    await bobClient.ack(3)
    const closedByRestart = new Promise<number>((resolve) => bobClient.onClose((info) => resolve(info.code)))
    expect(await relay.stop('SIGTERM')).toBe(0)
    expect(await closedByRestart).toBe(RelayCloseCode.GOING_AWAY)

    const restarted = await spawnRelay({ dataDir: relay.dataDir, port: relay.port, args: UNLIMITED })
    expect(Buffer.from(restarted.relayKey).equals(relay.relayKey)).toBe(true)
    const sender2 = await RelayClient.connect(restarted.url)
    await sender2.send(bob.mailboxId, messageId(), bob.deliveryToken, envelopeOf('after'))
    const bobAgain = await connectOwner(restarted.url, bob)
    const resumed = new Inbox(bobAgain)
    await bobAgain.subscribe(4) // the client's durable cursor: it processed up to 4
    await resumed.until(() => resumed.queueEmpty !== undefined)
    expect(resumed.delivered.map((frame) => frame.seq)).toEqual([5, 6])
    expect(resumed.texts()).toEqual(['before 5', 'after'])
    await Promise.all([bobAgain.close(), sender2.close(), sender.close()])
    expect(await restarted.stop()).toBe(0)
  })
})
