// The receive pipeline over the real encrypted store: batches are decrypted,
// committed with their cursor in one transaction, and only then acked.
import { randomBytes } from 'node:crypto'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { InboundPipeline, type InboundLink } from '../../../src/main/core/sync/inbound-pipeline'
import { storeBackedSync, type DecryptedInbound } from '../../../src/main/core/sync/store-backed-sync'
import { SyncEvents, type SyncProgress } from '../../../src/main/core/sync/sync-events'
import type { DecryptBatch, MailboxRef, ReceivedEnvelope } from '../../../src/main/core/sync/sync-store'
import { aeadDecryptStep, readyCrypto, sealTestMessage, type AeadDecryptStats } from '../../integration/sync/support/aead-envelopes'
import { countMessages, createTempStore, type TempStore } from '../../integration/sync/support/temp-store'

const key = new Uint8Array(randomBytes(32))
const mailbox: MailboxRef = { relayUrl: 'ws://127.0.0.1:1/', mailboxId: new Uint8Array(randomBytes(32)) }

function envelope(seq: number, id = `m${seq}`): ReceivedEnvelope {
  return {
    seq,
    messageId: new Uint8Array(randomBytes(16)),
    receivedAt: 1_000 + seq,
    firstContact: false,
    envelope: sealTestMessage(key, mailbox.mailboxId, { id, body: `hello ${id}`, sentAt: seq })
  }
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

describe('InboundPipeline', () => {
  let store: TempStore
  let stats: AeadDecryptStats
  let acks: { upTo: number; cursorOnDisk: number; messagesOnDisk: number }[]
  let failures: unknown[]

  beforeAll(readyCrypto)
  beforeEach(async () => {
    store = await createTempStore()
    stats = { decrypted: 0, undecryptable: 0, batches: 0, largestBatch: 0 }
    acks = []
    failures = []
  })
  afterEach(() => store.dispose())

  function pipeline(decrypt: DecryptBatch<DecryptedInbound> = aeadDecryptStep(key, 'alice', stats), maxBatch = 256, events = new SyncEvents()): InboundPipeline<DecryptedInbound> {
    const sync = storeBackedSync(store.store)
    const cursors = store.store.cursors
    const created = new InboundPipeline({ mailbox, store: sync.inbound, decrypt, events, maxBatch })
    const link: InboundLink = {
      // Read the database at ack time: whatever is acked must already be on disk.
      ack: (upTo) => acks.push({ upTo, cursorOnDisk: cursors.load(mailbox), messagesOnDisk: countMessages(store.db) }),
      fail: (error) => failures.push(error)
    }
    created.attach(link)
    return created
  }

  it('stores a socket read as one batch, then acks it, with cursor and messages already on disk', async () => {
    const inbound = pipeline()
    for (let seq = 1; seq <= 10; seq++) inbound.deliver(envelope(seq))
    await nextTurn()
    await inbound.idle()
    expect(stats.batches).toBe(1)
    expect(acks).toEqual([{ upTo: 10, cursorOnDisk: 10, messagesOnDisk: 10 }])
    expect(inbound.committedSeq).toBe(10)
  })

  it('splits a long backlog into batches of maxBatch, acking after each commit', async () => {
    const inbound = pipeline(undefined, 4)
    for (let seq = 1; seq <= 10; seq++) inbound.deliver(envelope(seq))
    await nextTurn()
    await inbound.idle()
    expect(acks.map((ack) => ack.upTo)).toEqual([4, 8, 10])
    for (const ack of acks) expect(ack.cursorOnDisk).toBe(ack.upTo)
    expect(stats.largestBatch).toBe(4)
  })

  it('drops redeliveries: seq at or below the cursor is skipped, a repeated message id is stored once', async () => {
    const first = pipeline()
    for (let seq = 1; seq <= 5; seq++) first.deliver(envelope(seq))
    await nextTurn()
    await first.idle()
    // A new connection (e.g. after a crash before the ack) redelivers 3..5, then a resend of m5 arrives at seq 6.
    const second = pipeline()
    expect(second.committedSeq).toBe(5)
    for (let seq = 3; seq <= 5; seq++) second.deliver(envelope(seq))
    second.deliver(envelope(6, 'm5'))
    second.deliver(envelope(7))
    await nextTurn()
    await second.idle()
    expect(countMessages(store.db)).toBe(6)
    expect(acks.at(-1)).toEqual({ upTo: 7, cursorOnDisk: 7, messagesOnDisk: 6 })
  })

  it('stores nothing and acks nothing when the decrypt step throws; the relay will redeliver', async () => {
    const inbound = pipeline(() => {
      throw new Error('session store unavailable')
    })
    inbound.deliver(envelope(1))
    inbound.deliver(envelope(2))
    await nextTurn()
    await inbound.idle()
    expect(failures).toHaveLength(1)
    expect(acks).toEqual([])
    expect(countMessages(store.db)).toBe(0)
    expect(store.store.cursors.load(mailbox)).toBe(0)
  })

  it('acks an undecryptable envelope after recording it, so one forged envelope cannot block the mailbox', async () => {
    const inbound = pipeline()
    const forged = envelope(1)
    forged.envelope[40] = (forged.envelope[40] ?? 0) ^ 0x01
    inbound.deliver(forged)
    inbound.deliver(envelope(2))
    await nextTurn()
    await inbound.idle()
    expect(stats.undecryptable).toBe(1)
    expect(acks).toEqual([{ upTo: 2, cursorOnDisk: 2, messagesOnDisk: 1 }])
  })

  it('reports progress per batch and remaining 0 once the relay says the queue is empty', async () => {
    const events = new SyncEvents()
    const progress: SyncProgress[] = []
    events.on('syncProgress', (event) => progress.push(event))
    const inbound = pipeline(undefined, 3, events)
    for (let seq = 1; seq <= 5; seq++) inbound.deliver(envelope(seq))
    inbound.queueEmpty(5)
    await nextTurn()
    await inbound.idle()
    expect(progress).toEqual([
      { relayUrl: mailbox.relayUrl, received: 3 },
      { relayUrl: mailbox.relayUrl, received: 5, remaining: 0 }
    ])
  })

  it('ignores deliveries after detach (the connection is gone; they were never acked)', async () => {
    const inbound = pipeline()
    inbound.detach()
    inbound.deliver(envelope(1))
    await nextTurn()
    await inbound.idle()
    expect(countMessages(store.db)).toBe(0)
    expect(acks).toEqual([])
  })
})
