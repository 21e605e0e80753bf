// Load generator for the plain `ws` echo server: the bound for this stack.
import { performance } from 'node:perf_hooks'
import WebSocket from 'ws'
import { latencyOf, paceSends, rateOf, waitUntil, type LatencyFigure, type RateFigure } from './measure'

export interface EchoThroughputOptions {
  readonly url: string
  readonly connections: number
  /** Frames each connection keeps in flight. */
  readonly window: number
  readonly payloadBytes: number
  readonly totalMessages: number
  readonly timeoutMs: number
}

export async function measureEchoThroughput(options: EchoThroughputOptions): Promise<RateFigure> {
  const sockets = await Promise.all(Array.from({ length: options.connections }, () => open(options.url)))
  const payload = Buffer.alloc(options.payloadBytes, 0x5a)
  let sent = 0
  let echoed = 0
  const startedAt = performance.now()
  for (const socket of sockets) {
    socket.on('message', () => {
      echoed++
      if (sent < options.totalMessages) {
        sent++
        socket.send(payload)
      }
    })
    for (let i = 0; i < options.window && sent < options.totalMessages; i++) {
      sent++
      socket.send(payload)
    }
  }
  await waitUntil(() => echoed >= options.totalMessages, options.timeoutMs, 'echo throughput run')
  const figure = rateOf(echoed, startedAt, performance.now())
  for (const socket of sockets) socket.terminate()
  return figure
}

export interface EchoLatencyOptions {
  readonly url: string
  readonly rate: number
  readonly durationMs: number
  readonly payloadBytes: number
}

export async function measureEchoLatency(options: EchoLatencyOptions): Promise<LatencyFigure> {
  const socket = await open(options.url)
  const total = Math.ceil((options.rate * options.durationMs) / 1000)
  const sentAt = new Float64Array(total)
  const samples: number[] = []
  socket.on('message', (data: Buffer) => {
    const index = data.readUInt32LE(0)
    samples.push(performance.now() - (sentAt[index] ?? Number.NaN))
  })
  const payload = Buffer.alloc(options.payloadBytes, 0x5a)
  let index = 0
  const startedAt = performance.now()
  const offered = await paceSends(options.rate, options.durationMs * 1.5, total, (count) => {
    for (let i = 0; i < count; i++, index++) {
      const frame = Buffer.from(payload)
      frame.writeUInt32LE(index, 0)
      sentAt[index] = performance.now()
      socket.send(frame)
    }
  })
  const offeredPerSecond = offered / ((performance.now() - startedAt) / 1000)
  await waitUntil(() => samples.length >= offered, 10_000, 'echo latency replies').catch(() => undefined)
  socket.terminate()
  return latencyOf(samples, offeredPerSecond)
}

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false })
    socket.once('open', () => resolve(socket))
    socket.once('error', reject)
  })
}
