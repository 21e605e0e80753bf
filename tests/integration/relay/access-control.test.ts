import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RelayClient } from '../../../src/main/core/sync/relay-client'
import { RelayError, authenticateMessage } from '../../../src/shared/relay/index'
import { Inbox, connectOwner, envelopeOf, messageId, newOwner, newSigner, sha256 } from './support/mailbox-owner'
import { spawnRelay } from './support/relay-process'
import type { RelayProcess } from './support/relay-process'

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    if (error instanceof RelayError) return error.code
    throw error
  }
  return 'resolved'
}

// Who may read and write a mailbox (docs/relay-protocol.md 4.2-4.5), with default limits.
describe('relay access control', () => {
  let relay: RelayProcess
  beforeAll(async () => {
    relay = await spawnRelay({ args: ['--first-contact-per-minute', '3', '--first-contact-burst', '3'] })
  })
  afterAll(async () => {
    await relay.stop()
  })

  it('refuses to read a mailbox without its key', async () => {
    const bob = newOwner()
    await (await connectOwner(relay.url, bob)).close()
    const sender = await RelayClient.connect(relay.url)
    await sender.send(bob.mailboxId, messageId(), bob.deliveryToken, envelopeOf('secret'))

    const thief = await RelayClient.connect(relay.url)
    const pushes: unknown[] = []
    thief.onPush('deliver', (frame) => pushes.push(frame))
    expect(await codeOf(thief.subscribe(0))).toBe('NOT_AUTHENTICATED')
    expect(await codeOf(thief.ack(10))).toBe('NOT_AUTHENTICATED')
    expect(await codeOf(thief.authenticate(bob.mailboxId, newSigner()))).toBe('AUTH_FAILED')
    expect(await codeOf(thief.subscribe(0))).toBe('NOT_AUTHENTICATED')
    // A signature that bob made for another connection's challenge does not replay here.
    const bobElsewhere = await RelayClient.connect(relay.url)
    const replayed = await bob.signer.sign(authenticateMessage(bobElsewhere.hello.relayKey, bobElsewhere.hello.challenge, bob.mailboxId))
    expect(await codeOf(thief.request('authenticate', { mailboxId: bob.mailboxId, signature: replayed }))).toBe('AUTH_FAILED')
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(pushes).toEqual([])
    // Nor can a stranger take over the mailbox id with another key.
    expect(await codeOf(thief.createMailbox(bob.mailboxId, newSigner(), sha256(randomBytes(32))))).toBe('MAILBOX_EXISTS')
    await Promise.all([thief.close(), sender.close(), bobElsewhere.close()])
  })

  it('refuses a send with a wrong token; a send without a token lands in first contact, rate-limited', async () => {
    const bob = newOwner()
    const bobClient = await connectOwner(relay.url, bob)
    const inbox = new Inbox(bobClient)
    await bobClient.subscribe(0)
    const stranger = await RelayClient.connect(relay.url)
    expect(await codeOf(stranger.send(bob.mailboxId, messageId(), new Uint8Array(randomBytes(32)), envelopeOf('x')))).toBe('DELIVERY_TOKEN_INVALID')
    for (let i = 0; i < 3; i++) await stranger.send(bob.mailboxId, messageId(), new Uint8Array(0), envelopeOf(`hello ${i}`))
    expect(await codeOf(stranger.send(bob.mailboxId, messageId(), new Uint8Array(0), envelopeOf('too many')))).toBe('RATE_LIMITED')
    await inbox.until(() => inbox.delivered.length === 3)
    expect(inbox.delivered.every((frame) => frame.firstContact)).toBe(true)
    // A contact with the token is not affected by the first-contact limit.
    await stranger.send(bob.mailboxId, messageId(), bob.deliveryToken, envelopeOf('contact'))
    await inbox.until(() => inbox.delivered.length === 4)
    expect(inbox.delivered[3]?.firstContact).toBe(false)
    await Promise.all([bobClient.close(), stranger.close()])
  })

  it('rotating the delivery token revokes the old one', async () => {
    const bob = newOwner()
    const bobClient = await connectOwner(relay.url, bob)
    const sender = await RelayClient.connect(relay.url)
    await sender.send(bob.mailboxId, messageId(), bob.deliveryToken, envelopeOf('ok'))
    // The relay remembers the token that matched for this mailbox (send-handler.ts): another one still fails.
    expect(await codeOf(sender.send(bob.mailboxId, messageId(), new Uint8Array(randomBytes(32)), envelopeOf('wrong')))).toBe('DELIVERY_TOKEN_INVALID')
    await sender.send(bob.mailboxId, messageId(), bob.deliveryToken, envelopeOf('ok again'))
    const newToken = new Uint8Array(randomBytes(32))
    await bobClient.request('setDeliveryToken', { deliveryTokenHash: sha256(newToken) })
    expect(await codeOf(sender.send(bob.mailboxId, messageId(), bob.deliveryToken, envelopeOf('old')))).toBe('DELIVERY_TOKEN_INVALID')
    await sender.send(bob.mailboxId, messageId(), newToken, envelopeOf('new'))
    await Promise.all([bobClient.close(), sender.close()])
  })

  it('refuses unpadded, oversized-for-bucket and unknown-mailbox sends', async () => {
    const bob = newOwner()
    await (await connectOwner(relay.url, bob)).close()
    const sender = await RelayClient.connect(relay.url)
    expect(await codeOf(sender.send(bob.mailboxId, messageId(), bob.deliveryToken, new Uint8Array(300)))).toBe('ENVELOPE_NOT_PADDED')
    expect(await codeOf(sender.send(new Uint8Array(randomBytes(32)), messageId(), bob.deliveryToken, envelopeOf('x')))).toBe('MAILBOX_NOT_FOUND')
    await sender.close()
  })

  it('limits connections per IP with close code 4003', async () => {
    const limited = await spawnRelay({ args: ['--max-connections-per-ip', '3'] })
    const clients = await Promise.all([0, 1, 2].map(() => RelayClient.connect(limited.url)))
    await expect(RelayClient.connect(limited.url)).rejects.toThrow(/code 4003/)
    await clients[0]?.close()
    const again = await RelayClient.connect(limited.url) // a slot is free again
    expect(await again.ping()).toBeGreaterThan(0)
    await Promise.all([again, ...clients.slice(1)].map((client) => client?.close()))
    await limited.stop()
  })

  it('a flood of sends to one mailbox is limited per destination', async () => {
    const bob = newOwner()
    await (await connectOwner(relay.url, bob)).close()
    const senders = await Promise.all([0, 1, 2].map(() => RelayClient.connect(relay.url)))
    const results = await Promise.all(
      Array.from({ length: 1_500 }, (_, i) => codeOf((senders[i % 3] as RelayClient).send(bob.mailboxId, messageId(), bob.deliveryToken, envelopeOf('f'))))
    )
    const limited = results.filter((code) => code === 'RATE_LIMITED').length
    // Default: burst 1,000 per destination mailbox, 200/s refill.
    expect(limited).toBeGreaterThan(0)
    expect(results.filter((code) => code === 'resolved').length).toBeLessThan(1_400)
    await Promise.all(senders.map((sender) => sender.close()))
  })
})
