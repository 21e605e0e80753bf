import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { RelayClient } from '../../../src/main/core/sync/relay-client'
import { RelayCloseCode } from '../../../src/shared/relay/index'
import { Inbox, connectOwner, envelopeOf, messageId, newOwner } from './support/mailbox-owner'
import { spawnRelay } from './support/relay-process'

// Relay housekeeping (src/relay/housekeeping.ts): retention expiry and idle connections.
describe('relay housekeeping', () => {
  it('expires unacknowledged messages after the retention period, in batches', async () => {
    const relay = await spawnRelay({ args: ['--retention-ms', '300', '--expiry-interval-ms', '100', '--expiry-batch-size', '2'] })
    const owner = newOwner()
    await (await connectOwner(relay.url, owner)).close()
    const sender = await RelayClient.connect(relay.url)
    for (let i = 0; i < 5; i++) await sender.send(owner.mailboxId, messageId(), owner.deliveryToken, envelopeOf(`old ${i}`))
    await new Promise((resolve) => setTimeout(resolve, 1_200))
    await sender.send(owner.mailboxId, messageId(), owner.deliveryToken, envelopeOf('fresh'))
    const reader = await connectOwner(relay.url, owner)
    const inbox = new Inbox(reader)
    await reader.subscribe(0)
    await inbox.until(() => inbox.queueEmpty !== undefined)
    expect(inbox.texts()).toEqual(['fresh'])
    expect(inbox.delivered[0]?.seq).toBe(6) // seqs are never reused
    const metrics = await (await fetch(`http://127.0.0.1:${relay.metricsPort}/metrics`)).text()
    expect(metrics).toMatch(/^tessera_relay_messages_expired_total 5$/m)
    await Promise.all([reader.close(), sender.close()])
    await relay.stop()
  })

  it('closes a connection that stops answering WebSocket pings with 4004', async () => {
    const relay = await spawnRelay({ args: ['--heartbeat-ms', '100'] })
    const silent = new WebSocket(relay.url, { perMessageDeflate: false, autoPong: false })
    const closed = new Promise<number>((resolve) => silent.once('close', (code) => resolve(code)))
    const lively = await RelayClient.connect(relay.url)
    expect(await closed).toBe(RelayCloseCode.IDLE_TIMEOUT)
    expect(lively.isOpen).toBe(true) // ws answers pings automatically
    await lively.close()
    await relay.stop()
  })
})
