import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { RelayClient } from '../../../src/main/core/sync/relay-client'
import { RelayCloseCode } from '../../../src/shared/relay/index'
import { Prng, fuzzFrame } from './support/frame-fuzzer'
import { Inbox, connectOwner, envelopeOf, messageId, newOwner } from './support/mailbox-owner'
import { UNLIMITED, spawnRelay } from './support/relay-process'
import type { RelayProcess } from './support/relay-process'

const TOTAL_FRAMES = 100_000
const CONNECTIONS = 4
const BURST = 2_000

/** Opens a raw socket; `onMessage` is attached before 'open' so HELLO (which can share the upgrade's TCP segment) is never missed. */
function openRaw(url: string, onMessage: () => void = () => {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false })
    socket.on('message', onMessage)
    socket.once('open', () => resolve(socket))
    socket.once('error', reject)
  })
}

/** Pipelines `frames` in bursts and waits for one answer per frame (every request gets exactly one). */
async function blast(url: string, frames: Uint8Array[]): Promise<number> {
  let answers = -1 // the first message is HELLO
  let waiter: (() => void) | undefined
  const socket = await openRaw(url, () => {
    answers++
    waiter?.()
  })
  for (let start = 0; start < frames.length; start += BURST) {
    const end = Math.min(frames.length, start + BURST)
    for (let i = start; i < end; i++) socket.send(frames[i] as Uint8Array)
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${answers} of ${end} answers`)), 30_000)
      waiter = () => {
        if (answers >= end) {
          clearTimeout(timer)
          resolve()
        }
      }
      waiter()
    })
  }
  socket.close()
  return answers
}

// Section 2.3: the relay survives hostile input and keeps serving everyone else.
describe('relay under random and mutated frames', () => {
  let relay: RelayProcess
  beforeAll(async () => {
    relay = await spawnRelay({ args: UNLIMITED })
  })
  afterAll(async () => {
    expect(await relay.stop()).toBe(0)
  })

  it(`answers ${TOTAL_FRAMES} random and mutated frames without crashing while other clients keep exchanging`, async () => {
    const seed = Number(process.env.TESSERA_FUZZ_SEED ?? Date.now() % 0xffffffff)
    console.log(`fuzz seed ${seed} (replay with TESSERA_FUZZ_SEED=${seed})`)
    const prng = new Prng(seed)
    const frames = Array.from({ length: TOTAL_FRAMES }, () => fuzzFrame(prng))
    const perConnection = Array.from({ length: CONNECTIONS }, (_, c) => frames.filter((_, i) => i % CONNECTIONS === c))

    const bob = newOwner()
    const bobClient = await connectOwner(relay.url, bob)
    const inbox = new Inbox(bobClient)
    await bobClient.subscribe(0)
    const alice = await RelayClient.connect(relay.url)
    let sent = 0
    let fuzzing = true
    const conversation = (async () => {
      while (fuzzing) {
        await alice.send(bob.mailboxId, messageId(), bob.deliveryToken, envelopeOf(`during ${sent}`))
        sent++
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
    })()

    const answers = await Promise.all(perConnection.map((list) => blast(relay.url, list)))
    fuzzing = false
    await conversation
    expect(answers.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(TOTAL_FRAMES)
    expect(relay.child.exitCode).toBeNull()
    expect(sent).toBeGreaterThan(0)
    await inbox.until(() => inbox.delivered.length === sent)
    expect(inbox.texts()).toEqual(Array.from({ length: sent }, (_, i) => `during ${i}`))

    const health = await fetch(`http://127.0.0.1:${relay.metricsPort}/healthz`)
    expect(health.status).toBe(200)
    await Promise.all([alice.close(), bobClient.close()])
  }, 180_000)

  it('closes a connection that sends a text frame with 4000 and an oversized frame with 1009', async () => {
    const text = await openRaw(relay.url)
    const textClosed = new Promise<number>((resolve) => text.once('close', (code) => resolve(code)))
    text.send('hello')
    expect(await textClosed).toBe(RelayCloseCode.PROTOCOL_ABUSE)

    const big = await openRaw(relay.url)
    const bigClosed = new Promise<number>((resolve) => big.once('close', (code) => resolve(code)))
    big.send(new Uint8Array(600 * 1024))
    expect(await bigClosed).toBe(RelayCloseCode.MESSAGE_TOO_BIG)
    expect(relay.child.exitCode).toBeNull()
  })
})
