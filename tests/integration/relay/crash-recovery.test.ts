import { describe, expect, it } from 'vitest'
import { RelayClient } from '../../../src/main/core/sync/relay-client'
import type { RelayError } from '../../../src/shared/relay/index'
import { Inbox, connectOwner, envelopeOf, hex, messageId, newOwner } from './support/mailbox-owner'
import type { MailboxOwner } from './support/mailbox-owner'
import { UNLIMITED, spawnRelay } from './support/relay-process'

const TOTAL = 10_000
const WINDOW = 256
const KILL_AFTER_RECEIPTS = 4_000
const ARGS = [...UNLIMITED, '--mailbox-quota', String(2 * TOTAL)]

/** Sends `ids` with up to WINDOW unanswered; stops quietly when the connection dies. */
async function sendAll(client: RelayClient, owner: MailboxOwner, ids: Uint8Array[], receipted: Set<string>, onReceipt: () => void): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < ids.length && client.isOpen) {
      const id = ids[next++] as Uint8Array
      try {
        await client.send(owner.mailboxId, id, owner.deliveryToken, envelopeOf(hex(id)))
        receipted.add(hex(id))
        onReceipt()
      } catch (error) {
        if ((error as RelayError).code === 'CONNECTION_CLOSED') return // the relay was killed
        throw error
      }
    }
  }
  await Promise.all(Array.from({ length: WINDOW }, worker))
}

// Receipts promise durability (docs/relay-protocol.md 4.5): kill -9 mid-stream loses none of them.
describe('relay crash recovery', () => {
  it('kill -9 in the middle of a 10,000-message stream loses no receipted message; duplicates carry the same id', async () => {
    const relay = await spawnRelay({ args: ARGS })
    const bob = newOwner()
    const ids = Array.from({ length: TOTAL }, messageId)
    const receipted = new Set<string>()
    const seen = new Map<string, number>()
    let cursor = 0

    let ackScheduled = false
    // Acks once per event-loop turn, for everything processed so far (cumulative).
    const scheduleAck = (client: RelayClient): void => {
      if (ackScheduled) return
      ackScheduled = true
      setImmediate(() => {
        ackScheduled = false
        client.ack(cursor).catch(() => {})
      })
    }

    const consume = async (url: string): Promise<{ client: RelayClient; inbox: Inbox }> => {
      const client = await connectOwner(url, bob)
      // Registered before the Inbox so that `seen` is updated when the Inbox re-checks its predicate.
      client.onPush('deliver', (frame) => {
        // The receiver "stores" each message, then acks: duplicates are recognised by message id.
        seen.set(hex(frame.messageId), (seen.get(hex(frame.messageId)) ?? 0) + 1)
        cursor = frame.seq
        scheduleAck(client)
      })
      const inbox = new Inbox(client)
      await client.subscribe(cursor)
      return { client, inbox }
    }

    await consume(relay.url)
    const sender = await RelayClient.connect(relay.url)
    let killed = false
    await sendAll(sender, bob, ids, receipted, () => {
      if (!killed && receipted.size >= KILL_AFTER_RECEIPTS) {
        killed = true
        relay.child.kill('SIGKILL')
      }
    })
    expect(await relay.stop()).toBeNull() // died by signal
    const receiptedBeforeCrash = new Set(receipted)
    expect(receiptedBeforeCrash.size).toBeGreaterThanOrEqual(KILL_AFTER_RECEIPTS)
    expect(receiptedBeforeCrash.size).toBeLessThan(TOTAL)

    const restarted = await spawnRelay({ dataDir: relay.dataDir, port: relay.port, args: ARGS })
    const { client: receiver, inbox } = await consume(restarted.url)
    // The sender retries everything without a receipt, with the same message ids.
    const sender2 = await RelayClient.connect(restarted.url)
    await sendAll(sender2, bob, ids.filter((id) => !receipted.has(hex(id))), receipted, () => {})
    expect(receipted.size).toBe(TOTAL)
    await inbox.until(() => seen.size === TOTAL, 60_000)

    for (const id of receiptedBeforeCrash) expect(seen.has(id)).toBe(true)
    expect(new Set(seen.keys())).toEqual(new Set(ids.map(hex)))
    const deliveries = [...seen.values()].reduce((sum, count) => sum + count, 0)
    // At-least-once: redeliveries after the crash are possible, and each is the same message id.
    expect(deliveries).toBeGreaterThanOrEqual(TOTAL)
    await Promise.all([receiver.close(), sender2.close(), sender.close()])
    expect(await restarted.stop()).toBe(0)
  }, 120_000)
})
