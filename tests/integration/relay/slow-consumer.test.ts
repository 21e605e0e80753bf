import { createHash, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { RelayCloseCode, encodeFrame } from '../../../src/shared/relay/index'
import { connectOwner, newOwner } from './support/mailbox-owner'
import { UNLIMITED, spawnRelay } from './support/relay-process'

// docs/relay-protocol.md 4.4 and section 6: a peer that stops reading is cut off with 4002.
describe('relay slow-consumer cutoff', () => {
  it('closes a connection that keeps requesting but stops reading, and keeps serving others', async () => {
    const relay = await spawnRelay({ args: [...UNLIMITED, '--slow-consumer-bytes', '2000000', '--max-envelope-bytes', '4096'] })
    const owner = newOwner()
    const uploader = await connectOwner(relay.url, owner)
    const blob = new Uint8Array(randomBytes(256 * 1024))
    const blobHash = new Uint8Array(createHash('sha256').update(blob).digest())
    await uploader.request('uploadBlobChunk', { blobHash, totalSize: blob.length, offset: 0, chunk: blob })

    const reader = new WebSocket(relay.url, { perMessageDeflate: false })
    const closed = new Promise<number>((resolve) => reader.once('close', (code) => resolve(code)))
    await new Promise((resolve) => reader.once('open', resolve))
    reader.pause() // stops reading: the relay's unsent bytes pile up once the kernel buffers are full
    for (let i = 1; i <= 200; i++) reader.send(encodeFrame({ type: 'downloadBlobChunk', requestId: i, blobHash, offset: 0, length: blob.length }))
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    reader.resume()
    expect(await closed).toBe(RelayCloseCode.SLOW_CONSUMER)

    expect(await uploader.ping()).toBeGreaterThan(0)
    const metrics = await (await fetch(`http://127.0.0.1:${relay.metricsPort}/metrics`)).text()
    expect(metrics).toMatch(/^tessera_relay_slow_consumers_closed_total 1$/m)
    await uploader.close()
    await relay.stop()
  })
})
