// Load generator for our relay: sustained throughput with durable storage and
// acks, paced end-to-end latency, and backlog drain (issue 5 benchmark).
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { newMessageId, padEnvelope } from '../../../src/shared/relay/index'
import { latencyOf, paceSends, rateOf, waitUntil, type LatencyFigure, type RateFigure } from './measure'
import { authenticate, createMailbox, newBenchMailbox, subscribeAndAck, WireConnection, type BenchMailbox } from './tessera-wire'

/** A 1 KB envelope: 1,000 bytes of random "ciphertext" padded to the 1,024-byte bucket. */
export function benchEnvelope(): Uint8Array {
  return padEnvelope(new Uint8Array(randomBytes(1_000)))
}

/** Message ids as the sync engine makes them (time first, docs/relay-protocol.md 4.5). */
function benchMessageId(): Uint8Array {
  return newMessageId((length) => randomBytes(length))
}

/** Creates `count` mailboxes over a few connections (mailbox creation is per-connection challenge-signed). */
export async function createMailboxes(url: string, count: number, connections = 8): Promise<BenchMailbox[]> {
  const mailboxes = Array.from({ length: count }, (_, i) => newBenchMailbox(i))
  const creators = await Promise.all(Array.from({ length: connections }, () => WireConnection.open(url)))
  let next = 0
  await Promise.all(creators.map(async (connection) => {
    while (next < mailboxes.length) await createMailbox(connection, mailboxes[next++]!)
  }))
  for (const connection of creators) connection.close()
  return mailboxes
}

interface Reader {
  readonly connection: WireConnection
  delivered: number
  acked: number
}

async function openReaders(url: string, mailboxes: readonly BenchMailbox[], onDeliver: (envelope: Uint8Array) => void, concurrency = 32): Promise<Reader[]> {
  const readers: Reader[] = new Array(mailboxes.length)
  let next = 0
  await Promise.all(Array.from({ length: Math.min(concurrency, mailboxes.length) }, async () => {
    while (next < mailboxes.length) {
      const index = next++
      const connection = await WireConnection.open(url)
      await authenticate(connection, mailboxes[index]!)
      const reader: Reader = { connection, delivered: 0, acked: 0 }
      readers[index] = reader
      await subscribeAndAck(connection, 0, (frame) => {
        reader.delivered++
        onDeliver(frame.envelope)
      }, (upToSeq) => {
        reader.acked = upToSeq
      })
    }
  }))
  return readers
}

/** Keeps `window` sends in flight on each sender, round-robin over mailboxes, until `total` were accepted. */
function pumpSends(senders: readonly WireConnection[], mailboxes: readonly BenchMailbox[], total: number, window: number, envelopeFor: (index: number) => Uint8Array, onRefused: (code: number) => void): { accepted: () => number } {
  let issued = 0
  let accepted = 0
  const issue = (sender: WireConnection): void => {
    if (issued >= total) return
    const index = issued++
    const mailbox = mailboxes[index % mailboxes.length]!
    sender.post({ type: 'send', mailboxId: mailbox.mailboxId, messageId: benchMessageId(), deliveryToken: mailbox.deliveryToken, envelope: envelopeFor(index) }, (reply) => {
      if (reply.type === 'receipt') accepted++
      else if (reply.type === 'error') onRefused(reply.code)
      issue(sender)
    })
  }
  for (const sender of senders) for (let i = 0; i < window; i++) issue(sender)
  return { accepted: () => accepted }
}

export interface TesseraThroughputOptions {
  readonly url: string
  readonly senders: number
  readonly receivers: number
  readonly window: number
  readonly total: number
  readonly timeoutMs: number
}

export interface TesseraThroughput extends RateFigure {
  readonly accepted: number
  readonly refused: number
}

/** Envelopes sent, durably stored (receipt), delivered and acked, per second. */
export async function measureTesseraThroughput(options: TesseraThroughputOptions): Promise<TesseraThroughput> {
  const mailboxes = await createMailboxes(options.url, options.receivers)
  let delivered = 0
  const readers = await openReaders(options.url, mailboxes, () => delivered++)
  const senders = await Promise.all(Array.from({ length: options.senders }, () => WireConnection.open(options.url)))
  const envelope = benchEnvelope()
  let refused = 0
  const startedAt = performance.now()
  const pump = pumpSends(senders, mailboxes, options.total, options.window, () => envelope, () => refused++)
  const allAcked = (): boolean => delivered >= options.total && readers.every((reader) => reader.acked >= reader.delivered)
  await waitUntil(() => allAcked() || refused > 0, options.timeoutMs, 'relay throughput run').catch(() => undefined)
  const figure = rateOf(delivered, startedAt, performance.now())
  for (const connection of [...senders, ...readers.map((reader) => reader.connection)]) connection.close()
  return { ...figure, accepted: pump.accepted(), refused }
}

export interface TesseraLatencyOptions {
  readonly url: string
  readonly rate: number
  readonly durationMs: number
  /** Mailboxes the paced stream is spread over (a real relay serves many recipients at once). */
  readonly receivers: number
}

/** Send-to-delivery latency at a paced rate; the envelope's first 4 bytes carry the send index. */
export async function measureTesseraLatency(options: TesseraLatencyOptions): Promise<LatencyFigure> {
  const mailboxes = await createMailboxes(options.url, options.receivers)
  const total = Math.ceil((options.rate * options.durationMs) / 1000)
  const sentAt = new Float64Array(total)
  const samples: number[] = []
  const readers = await openReaders(options.url, mailboxes, (envelope) => {
    const index = Buffer.from(envelope.buffer, envelope.byteOffset, 4).readUInt32LE(0)
    samples.push(performance.now() - (sentAt[index] ?? Number.NaN))
  })
  const sender = await WireConnection.open(options.url)
  const template = benchEnvelope()
  let index = 0
  const startedAt = performance.now()
  const offered = await paceSends(options.rate, options.durationMs * 1.5, total, (count) => {
    for (let i = 0; i < count; i++, index++) {
      const envelope = Buffer.from(template)
      envelope.writeUInt32LE(index, 0)
      const mailbox = mailboxes[index % mailboxes.length]!
      sentAt[index] = performance.now()
      sender.post({ type: 'send', mailboxId: mailbox.mailboxId, messageId: benchMessageId(), deliveryToken: mailbox.deliveryToken, envelope })
    }
  })
  const offeredPerSecond = offered / ((performance.now() - startedAt) / 1000)
  await waitUntil(() => samples.length >= offered, 20_000, 'latency deliveries').catch(() => undefined)
  for (const connection of [sender, ...readers.map((reader) => reader.connection)]) connection.close()
  return latencyOf(samples, offeredPerSecond)
}

export interface BacklogDrainOptions {
  readonly url: string
  readonly mailboxes: number
  readonly total: number
  readonly timeoutMs: number
}

export interface BacklogDrainFigure {
  readonly queueSeconds: number
  readonly drainSeconds: number
  readonly delivered: number
  readonly perSecond: number
}

/** Queues `total` envelopes for offline mailboxes, then times their owners connecting, draining and acking everything. */
export async function measureBacklogDrain(options: BacklogDrainOptions): Promise<BacklogDrainFigure> {
  const mailboxes = await createMailboxes(options.url, options.mailboxes)
  const senders = await Promise.all(Array.from({ length: 4 }, () => WireConnection.open(options.url)))
  const envelope = benchEnvelope()
  let refused = 0
  const queueStart = performance.now()
  const pump = pumpSends(senders, mailboxes, options.total, 64, () => envelope, () => refused++)
  await waitUntil(() => pump.accepted() + refused >= options.total, options.timeoutMs, 'backlog queued')
  const queueSeconds = (performance.now() - queueStart) / 1000
  for (const sender of senders) sender.close()
  if (refused > 0) throw new Error(`${refused} envelopes refused while queueing the backlog`)

  let delivered = 0
  const drainStart = performance.now()
  const readers = await openReaders(options.url, mailboxes, () => delivered++)
  const perMailbox = options.total / options.mailboxes
  await waitUntil(() => delivered >= options.total && readers.every((reader) => reader.acked >= perMailbox), options.timeoutMs, 'backlog drained and acked').catch(() => undefined)
  const drainSeconds = (performance.now() - drainStart) / 1000
  for (const reader of readers) reader.connection.close()
  return { queueSeconds, drainSeconds, delivered, perSecond: delivered / drainSeconds }
}

/** Opens `count` connections that receive HELLO and then stay idle. */
export async function openIdleTesseraConnections(url: string, count: number, timeoutMs: number): Promise<WireConnection[]> {
  const connections: WireConnection[] = []
  const deadline = performance.now() + timeoutMs
  let next = 0
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (next < count) {
      next++
      if (performance.now() > deadline) throw new Error(`opened only ${connections.length} of ${count} relay connections in time`)
      connections.push(await WireConnection.open(url))
    }
  }))
  return connections
}
