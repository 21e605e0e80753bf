// Load generator for the Nostr peer (@nostr-relay/core + SQLite repository).
// NIP-01: a client publishes ["EVENT", event] and gets ["OK", id, bool, msg];
// a subscriber's ["REQ", subId, filter] receives ["EVENT", subId, event].
// Every event is signed (BIP-340 Schnorr) BEFORE the timed window, so the
// figures measure the relay, not our signing.
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { schnorr } from '@noble/curves/secp256k1'
import { schnorrSign, sha256 } from '@nostr-relay/common'
import WebSocket from 'ws'
import { latencyOf, paceSends, rateOf, waitUntil, type LatencyFigure, type RateFigure } from './measure'

export interface SignedEvent {
  readonly id: string
  readonly pubkey: string
  readonly created_at: number
  readonly kind: number
  readonly tags: string[][]
  readonly content: string
  readonly sig: string
}

const BENCH_KIND = 1

/** Signs `count` kind-1 events whose content is `<index>:` padded to `contentBytes`. */
export function presignEvents(count: number, contentBytes: number): string[] {
  const secretKey = randomBytes(32)
  const pubkey = Buffer.from(schnorr.getPublicKey(secretKey)).toString('hex')
  const createdAt = Math.floor(Date.now() / 1000)
  const frames: string[] = []
  for (let index = 0; index < count; index++) {
    const content = `${index}:`.padEnd(contentBytes, 'x')
    const id = sha256([0, pubkey, createdAt, BENCH_KIND, [], content])
    const event: SignedEvent = { id, pubkey, created_at: createdAt, kind: BENCH_KIND, tags: [], content, sig: schnorrSign(id, secretKey) }
    frames.push(JSON.stringify(['EVENT', event]))
  }
  secretKey.fill(0)
  return frames
}

interface Subscriber {
  readonly socket: WebSocket
  onEvent(listener: (content: string) => void): void
}

async function subscribe(url: string): Promise<Subscriber> {
  const socket = await open(url)
  let listener: (content: string) => void = () => undefined
  await new Promise<void>((resolve) => {
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as unknown[]
      if (message[0] === 'EOSE') resolve()
      else if (message[0] === 'EVENT') listener((message[2] as SignedEvent).content)
    })
    socket.send(JSON.stringify(['REQ', 'bench', { kinds: [BENCH_KIND], since: Math.floor(Date.now() / 1000) - 60, limit: 0 }]))
  })
  return { socket, onEvent: (next) => { listener = next } }
}

export interface NostrThroughputOptions {
  readonly url: string
  readonly frames: readonly string[]
  readonly publishers: number
  readonly window: number
  readonly timeoutMs: number
}

/** Events published, stored, OK'd and delivered to one subscriber, per second. */
export async function measureNostrThroughput(options: NostrThroughputOptions): Promise<RateFigure & { accepted: number }> {
  const subscriber = await subscribe(options.url)
  let delivered = 0
  subscriber.onEvent(() => delivered++)
  const publishers = await Promise.all(Array.from({ length: options.publishers }, () => open(options.url)))
  let next = 0
  let accepted = 0
  const startedAt = performance.now()
  for (const socket of publishers) {
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as unknown[]
      if (message[0] !== 'OK') return
      if (message[2] === true) accepted++
      const frame = options.frames[next]
      if (frame !== undefined) { next++; socket.send(frame) }
    })
    for (let i = 0; i < options.window; i++) {
      const frame = options.frames[next]
      if (frame !== undefined) { next++; socket.send(frame) }
    }
  }
  const total = options.frames.length
  await waitUntil(() => delivered >= total, options.timeoutMs, 'nostr deliveries').catch(() => undefined)
  const figure = rateOf(delivered, startedAt, performance.now())
  for (const socket of [...publishers, subscriber.socket]) socket.terminate()
  return { ...figure, accepted }
}

export interface NostrLatencyOptions {
  readonly url: string
  readonly frames: readonly string[]
  readonly rate: number
  readonly durationMs: number
}

/** Publish-to-delivery latency at a paced rate (content carries the event's index). */
export async function measureNostrLatency(options: NostrLatencyOptions): Promise<LatencyFigure> {
  const subscriber = await subscribe(options.url)
  const publisher = await open(options.url)
  publisher.on('message', () => undefined)
  const total = Math.min(options.frames.length, Math.ceil((options.rate * options.durationMs) / 1000))
  const sentAt = new Float64Array(total)
  const samples: number[] = []
  subscriber.onEvent((content) => {
    const index = Number(content.slice(0, content.indexOf(':')))
    samples.push(performance.now() - (sentAt[index] ?? Number.NaN))
  })
  let index = 0
  const startedAt = performance.now()
  const offered = await paceSends(options.rate, options.durationMs * 1.5, total, (count) => {
    for (let i = 0; i < count; i++, index++) {
      sentAt[index] = performance.now()
      publisher.send(options.frames[index] ?? '')
    }
  })
  const offeredPerSecond = offered / ((performance.now() - startedAt) / 1000)
  await waitUntil(() => samples.length >= offered, 20_000, 'nostr latency deliveries').catch(() => undefined)
  publisher.terminate()
  subscriber.socket.terminate()
  return latencyOf(samples, offeredPerSecond)
}

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false })
    socket.once('open', () => resolve(socket))
    socket.once('error', reject)
  })
}
