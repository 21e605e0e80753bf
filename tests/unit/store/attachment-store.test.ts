import { createHash, randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CHUNK_BYTES } from '../../../src/main/core/store/attachment-cipher'
import type { TesseraStore } from '../../../src/main/core/store/tessera-store'
import { asAttachmentId } from '../../../src/shared/ids'
import { conversationId, message, openTempStore } from './store-fixture'

let store: TesseraStore
let dir: string
let cleanup: () => void
const chat = conversationId('files')
beforeEach(async () => {
  ;({ store, dir, cleanup } = await openTempStore('attachments'))
  store.conversations.create({ id: chat, kind: 'direct', createdAt: 0, members: [] })
})
afterEach(() => cleanup())

async function* chunks(data: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size)
}

async function readAll(iterable: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = []
  for await (const part of iterable) parts.push(part)
  return Buffer.concat(parts)
}

async function addFile(data: Uint8Array, id = `att-${randomBytes(4).toString('hex')}`, pieceSize = 10_000) {
  const m = message(chat)
  store.messages.insert(m)
  const meta = await store.attachments.add({ id: asAttachmentId(id), messageId: m.id, fileName: 'photo.jpg', mimeType: 'image/jpeg', createdAt: 1, source: chunks(data, pieceSize) })
  return { meta, messageId: m.id }
}

describe('AttachmentStore', () => {
  it.each([0, 1, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 3 * CHUNK_BYTES + 123])('round-trips %i bytes in any input chunking', async (size) => {
    const data = new Uint8Array(randomBytes(size))
    const { meta } = await addFile(data)
    expect(meta.plaintextSize).toBe(size)
    expect(Buffer.from(meta.plaintextSha256)).toEqual(createHash('sha256').update(data).digest())
    expect(statSync(store.attachments.pathOf(meta.id)).size).toBe(meta.storedSize)
    expect(statSync(store.attachments.pathOf(meta.id)).mode & 0o777).toBe(0o600)
    expect(await readAll(store.attachments.read(meta.id))).toEqual(Buffer.from(data))
  })

  it('exports verified plaintext to a file', async () => {
    const data = new Uint8Array(randomBytes(200_000))
    const { meta } = await addFile(data)
    const out = join(dir, 'exported.jpg')
    await store.attachments.exportTo(meta.id, out)
    expect(readFileSync(out)).toEqual(Buffer.from(data))
  })

  it('a flipped byte, a truncation or an appended byte is attachment-corrupt; export then writes nothing', async () => {
    const data = new Uint8Array(randomBytes(CHUNK_BYTES * 2 + 10))
    const { meta } = await addFile(data)
    const path = store.attachments.pathOf(meta.id)
    const original = readFileSync(path)
    const variants = [
      Buffer.concat([original.subarray(0, 100), Buffer.from([original[100]! ^ 1]), original.subarray(101)]),
      original.subarray(0, original.length - 20),
      original.subarray(0, CHUNK_BYTES + 17 + 28), // whole chunks only: FINAL tag missing
      Buffer.concat([original, Buffer.from([0])])
    ]
    for (const variant of variants) {
      writeFileSync(path, variant)
      await expect(readAll(store.attachments.read(meta.id))).rejects.toMatchObject({ code: 'attachment-corrupt' })
      const out = join(dir, 'should-not-exist')
      await expect(store.attachments.exportTo(meta.id, out)).rejects.toMatchObject({ code: 'attachment-corrupt' })
      expect(existsSync(out)).toBe(false)
    }
  })

  it('reports storage per conversation', async () => {
    await addFile(new Uint8Array(1000))
    await addFile(new Uint8Array(2000))
    const usage = store.attachments.usageByConversation()
    expect(usage).toHaveLength(1)
    expect(usage[0]).toMatchObject({ conversationId: chat, files: 2 })
    expect(usage[0]!.bytes).toBeGreaterThan(3000)
  })

  it('deleting the message deletes its files', async () => {
    const { meta, messageId } = await addFile(new Uint8Array(5000))
    await store.deleteMessage(messageId, 9)
    expect(existsSync(store.attachments.pathOf(meta.id))).toBe(false)
    expect(store.attachments.get(meta.id)).toBeUndefined()
  })

  it('refuses an unknown message and a duplicate id without leaving files behind', async () => {
    const { meta, messageId } = await addFile(new Uint8Array(10), 'same-id')
    await expect(store.attachments.add({ id: meta.id, messageId, fileName: 'x', mimeType: 'x', createdAt: 1, source: chunks(new Uint8Array(5), 5) })).rejects.toMatchObject({ code: 'conflict' })
    expect(readFileSync(store.attachments.pathOf(meta.id)).length).toBe(meta.storedSize)
    await expect(store.attachments.add({ id: asAttachmentId('x'), messageId: 'nope' as never, fileName: 'x', mimeType: 'x', createdAt: 1, source: chunks(new Uint8Array(5), 5) })).rejects.toMatchObject({ code: 'not-found' })
    expect(readdirSync(store.attachments.directory)).toEqual(['same-id'])
  })

  it('sweeps orphan and temp files at start, keeping known ones', async () => {
    const { meta } = await addFile(new Uint8Array(10))
    writeFileSync(join(store.attachments.directory, 'orphan'), 'x')
    writeFileSync(join(store.attachments.directory, '.tmp-crashed-abc'), 'x')
    expect(await store.attachments.sweepOrphans()).toBe(2)
    expect(readdirSync(store.attachments.directory)).toEqual([meta.id])
  })
})
