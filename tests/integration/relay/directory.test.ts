import { createHash, randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RelayClient } from '../../../src/main/core/sync/relay-client'
import { RelayError, deviceListMessage } from '../../../src/shared/relay/index'
import { connectOwner, newOwner, newSigner } from './support/mailbox-owner'
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

const bytes = (n: number): Uint8Array => new Uint8Array(randomBytes(n))

describe('relay prekeys and device lists (docs/relay-protocol.md 4.8-4.11)', () => {
  let relay: RelayProcess
  beforeAll(async () => {
    relay = await spawnRelay({ args: ['--prekey-fetches-per-mailbox-per-minute', '4', '--max-prekeys-per-pool', '3', '--rendezvous-ttl-ms', '1500'] })
  })
  afterAll(async () => {
    await relay.stop()
  })

  it('hands out each one-time prekey once and rate-limits fetches', async () => {
    const bob = newOwner()
    const bobClient = await connectOwner(relay.url, bob)
    const bundle = bytes(100)
    const keys = [bytes(32), bytes(32)]
    const status = await bobClient.request('publishPrekeys', { bundle, oneTimePrekeys: [...keys.map((key) => ({ pool: 0, key })), { pool: 1, key: bytes(1100) }] })
    expect(status.hasBundle).toBe(true)
    expect(status.remaining).toEqual([{ pool: 0, count: 2 }, { pool: 1, count: 1 }])
    expect(await codeOf(bobClient.request('publishPrekeys', { bundle: new Uint8Array(0), oneTimePrekeys: [0, 1].map(() => ({ pool: 0, key: bytes(32) })) }))).toBe('CAPACITY_EXCEEDED')

    const alice = await RelayClient.connect(relay.url)
    const handedOut: string[] = []
    for (let i = 0; i < 3; i++) {
      const fetched = await alice.request('fetchPrekeys', { mailboxId: bob.mailboxId })
      expect(Buffer.from(fetched.bundle).equals(bundle)).toBe(true)
      for (const item of fetched.oneTimePrekeys) handedOut.push(`${item.pool}:${Buffer.from(item.key).toString('hex')}`)
    }
    expect(handedOut).toHaveLength(3) // two from pool 0, one from pool 1, then none left
    expect(new Set(handedOut).size).toBe(3)
    expect(await codeOf(alice.request('fetchPrekeys', { mailboxId: bob.mailboxId }))).toBe('resolved')
    expect(await codeOf(alice.request('fetchPrekeys', { mailboxId: bob.mailboxId }))).toBe('RATE_LIMITED')
    const after = await bobClient.request('publishPrekeys', { bundle: new Uint8Array(0), oneTimePrekeys: [] })
    expect(after.remaining).toEqual([])
    expect(await codeOf(alice.request('publishPrekeys', { bundle, oneTimePrekeys: [] }))).toBe('NOT_AUTHENTICATED')
    await Promise.all([alice.close(), bobClient.close()])
  })

  it('accepts only owner-signed, increasing device-list versions', async () => {
    const bob = newOwner()
    const bobClient = await connectOwner(relay.url, bob)
    const publish = async (version: number, list: Uint8Array, signer = bob.signer): Promise<string> =>
      codeOf(bobClient.request('publishDeviceList', { mailboxId: bob.mailboxId, version, list, signature: await signer.sign(deviceListMessage(bob.mailboxId, version, list)) }))
    const v2 = bytes(64)
    expect(await codeOf(bobClient.request('fetchDeviceList', { mailboxId: bob.mailboxId }))).toBe('NOT_FOUND')
    expect(await publish(2, v2)).toBe('resolved')
    expect(await publish(2, v2)).toBe('resolved') // identical re-publish is idempotent
    expect(await publish(1, bytes(64))).toBe('STALE_VERSION')
    expect(await publish(2, bytes(64))).toBe('STALE_VERSION')
    expect(await publish(3, bytes(64), newSigner())).toBe('BAD_SIGNATURE')
    const fetched = await bobClient.request('fetchDeviceList', { mailboxId: bob.mailboxId })
    expect(fetched.version).toBe(2)
    expect(Buffer.from(fetched.list).equals(v2)).toBe(true)
    expect(Buffer.from(fetched.ownerKey).equals(bob.signer.publicKey)).toBe(true)
    await bobClient.close()
  })
})

describe('relay blobs and rendezvous (docs/relay-protocol.md 4.12-4.13)', () => {
  let relay: RelayProcess
  beforeAll(async () => {
    relay = await spawnRelay({ args: ['--rendezvous-ttl-ms', '1500', '--max-blob-bytes', '2000000'] })
  })
  afterAll(async () => {
    await relay.stop()
  })

  it('uploads in chunks, resumes after a reconnect, verifies the hash and serves downloads', async () => {
    const owner = newOwner()
    const blob = bytes(700_000)
    const blobHash = new Uint8Array(createHash('sha256').update(blob).digest())
    const chunk = 256 * 1024
    const first = await connectOwner(relay.url, owner)
    const status = await first.request('uploadBlobChunk', { blobHash, totalSize: blob.length, offset: 0, chunk: blob.subarray(0, chunk) })
    expect(status).toMatchObject({ received: chunk, complete: false })
    await first.close()

    const second = await connectOwner(relay.url, owner)
    const resume = await second.request('queryBlob', { blobHash })
    expect(resume.received).toBe(chunk)
    expect(await codeOf(second.request('uploadBlobChunk', { blobHash, totalSize: blob.length, offset: 0, chunk: blob.subarray(0, 10) }))).toBe('BLOB_OFFSET_MISMATCH')
    for (let offset = resume.received; offset < blob.length; offset += chunk) {
      await second.request('uploadBlobChunk', { blobHash, totalSize: blob.length, offset, chunk: blob.subarray(offset, offset + chunk) })
    }
    expect((await second.request('queryBlob', { blobHash })).complete).toBe(true)

    const reader = await RelayClient.connect(relay.url)
    const parts: Uint8Array[] = []
    for (let offset = 0; offset < blob.length; offset += chunk) {
      parts.push((await reader.request('downloadBlobChunk', { blobHash, offset, length: chunk })).chunk)
    }
    expect(Buffer.concat(parts).equals(blob)).toBe(true)

    const wrongHash = new Uint8Array(randomBytes(32))
    expect(await codeOf(second.request('uploadBlobChunk', { blobHash: wrongHash, totalSize: 10, offset: 0, chunk: bytes(10) }))).toBe('BLOB_HASH_MISMATCH')
    expect(await codeOf(second.request('queryBlob', { blobHash: wrongHash }))).toBe('NOT_FOUND')
    expect(await codeOf(second.request('uploadBlobChunk', { blobHash: wrongHash, totalSize: 3_000_000, offset: 0, chunk: bytes(10) }))).toBe('BLOB_TOO_LARGE')
    expect(await codeOf(reader.request('uploadBlobChunk', { blobHash, totalSize: 10, offset: 0, chunk: bytes(10) }))).toBe('NOT_AUTHENTICATED')
    await Promise.all([second.close(), reader.close()])
  })

  it('rendezvous: one writer, one reader with the token, single use, expiring', async () => {
    const newDevice = await RelayClient.connect(relay.url)
    const oldDevice = await RelayClient.connect(relay.url)
    const slot = await newDevice.request('createRendezvous', {})
    const waiting = newDevice.request('readRendezvous', { slotId: slot.slotId, readToken: slot.readToken, waitMs: 5_000 })
    const payload = bytes(200)
    await oldDevice.request('writeRendezvous', { slotId: slot.slotId, payload })
    expect(Buffer.from((await waiting).payload).equals(payload)).toBe(true)
    expect(await codeOf(oldDevice.request('writeRendezvous', { slotId: slot.slotId, payload }))).toBe('RENDEZVOUS_EXPIRED') // consumed

    const second = await newDevice.request('createRendezvous', {})
    expect(await codeOf(oldDevice.request('readRendezvous', { slotId: second.slotId, readToken: bytes(16), waitMs: 0 }))).toBe('AUTH_FAILED')
    expect(await codeOf(newDevice.request('readRendezvous', { slotId: second.slotId, readToken: second.readToken, waitMs: 50 }))).toBe('RENDEZVOUS_EMPTY')
    // A reader that reconnects replaces its own earlier waiting read.
    const abandoned = newDevice.request('readRendezvous', { slotId: second.slotId, readToken: second.readToken, waitMs: 5_000 })
    const replacing = newDevice.request('readRendezvous', { slotId: second.slotId, readToken: second.readToken, waitMs: 5_000 })
    expect(await codeOf(abandoned)).toBe('RENDEZVOUS_USED')
    await oldDevice.request('writeRendezvous', { slotId: second.slotId, payload })
    expect(Buffer.from((await replacing).payload).equals(payload)).toBe(true)
    expect(await codeOf(oldDevice.request('writeRendezvous', { slotId: second.slotId, payload: bytes(10) }))).toBe('RENDEZVOUS_EXPIRED') // read, so gone

    const fourth = await newDevice.request('createRendezvous', {})
    await oldDevice.request('writeRendezvous', { slotId: fourth.slotId, payload })
    expect(await codeOf(oldDevice.request('writeRendezvous', { slotId: fourth.slotId, payload: bytes(10) }))).toBe('RENDEZVOUS_USED')

    const third = await newDevice.request('createRendezvous', {})
    await new Promise((resolve) => setTimeout(resolve, 1_600))
    expect(await codeOf(oldDevice.request('writeRendezvous', { slotId: third.slotId, payload }))).toBe('RENDEZVOUS_EXPIRED')
    await Promise.all([newDevice.close(), oldDevice.close()])
  })
})
