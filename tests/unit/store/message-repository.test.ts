import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { asMessageId } from '../../../src/shared/ids'
import type { TesseraStore } from '../../../src/main/core/store/tessera-store'
import { conversationId, message, openTempStore } from './store-fixture'

let store: TesseraStore
let cleanup: () => void
const chat = conversationId('messages')

beforeEach(async () => {
  ;({ store, cleanup } = await openTempStore('messages'))
  store.conversations.create({ id: chat, kind: 'direct', createdAt: 0, members: [{ memberId: 'alice' }] })
})
afterEach(() => cleanup())

describe('MessageRepository', () => {
  it('inserts idempotently by message id and maps the row back', () => {
    const m = message(chat, { body: 'first', replyToId: null })
    expect(store.messages.insert(m)).toBe('inserted')
    expect(store.messages.insert({ ...m, body: 'tampered copy' })).toBe('duplicate')
    expect(store.messages.get(m.id)).toMatchObject({ id: m.id, conversationId: chat, body: 'first', status: 'received', editedAt: null, deletedAt: null })
    expect(store.conversations.get(chat)?.lastMessageAt).toBe(m.sentAt)
  })

  it('refuses a message for an unknown conversation, an oversized body and a bad id with typed errors', () => {
    expect(() => store.messages.insert(message(conversationId('nowhere')))).toThrow(expect.objectContaining({ code: 'invalid-input' }))
    expect(() => store.messages.insert(message(chat, { body: 'x'.repeat(64 * 1024 + 1) }))).toThrow(expect.objectContaining({ code: 'invalid-input' }))
    expect(() => store.messages.insert(message(chat, { id: 'bad id!' as never }))).toThrow(expect.objectContaining({ code: 'invalid-id' }))
    expect(store.messages.countInConversation(chat)).toBe(0)
  })

  it('pages newest first, by sent time then insertion order, without gaps or repeats', () => {
    const all = Array.from({ length: 120 }, (_, i) => message(chat, { sentAt: 1000 + Math.floor(i / 3) }))
    store.messages.insertMany([...all].reverse())
    const seen: string[] = []
    let page = store.messages.page(chat, 50)
    while (page.length > 0) {
      seen.push(...page.map((m) => m.id))
      const last = page[page.length - 1]!
      page = store.messages.page(chat, 50, { sentAt: last.sentAt, seq: last.seq })
    }
    expect(seen).toHaveLength(120)
    expect(new Set(seen).size).toBe(120)
    const sentTimes = seen.map((id) => store.messages.get(asMessageId(id))!.sentAt)
    expect(sentTimes).toEqual([...sentTimes].sort((a, b) => b - a))
  })

  it('keeps edit history and refuses to edit a deleted message', () => {
    const m = message(chat, { body: 'v1' })
    store.messages.insert(m)
    store.messages.edit(m.id, 'v2', 10)
    store.messages.edit(m.id, 'v3', 20)
    expect(store.messages.get(m.id)).toMatchObject({ body: 'v3', editedAt: 20 })
    expect(store.messages.editHistory(m.id)).toEqual([
      { previousBody: 'v1', editedAt: 10 },
      { previousBody: 'v2', editedAt: 20 }
    ])
    store.messages.markDeleted(m.id, 30)
    expect(() => store.messages.edit(m.id, 'v4', 40)).toThrow(expect.objectContaining({ code: 'conflict' }))
    expect(() => store.messages.edit(asMessageId('missing'), 'v4', 40)).toThrow(expect.objectContaining({ code: 'not-found' }))
  })

  it('delete leaves a tombstone: body, history and reactions gone, a re-delivery stays a duplicate', () => {
    const m = message(chat, { body: 'regret' })
    store.messages.insert(m)
    store.messages.edit(m.id, 'regret more', 5)
    store.messages.react(m.id, 'bob', '👍', 6)
    store.messages.markDeleted(m.id, 7)
    expect(store.messages.get(m.id)).toMatchObject({ body: null, deletedAt: 7 })
    expect(store.messages.editHistory(m.id)).toEqual([])
    expect(store.messages.reactions(m.id)).toEqual([])
    expect(store.messages.insert(m)).toBe('duplicate')
    expect(store.messages.get(m.id)?.body).toBeNull()
  })

  it('keeps one reaction per reactor, the newest wins, null removes it', () => {
    const m = message(chat)
    store.messages.insert(m)
    store.messages.react(m.id, 'bob', '👍', 10)
    store.messages.react(m.id, 'bob', '😂', 5) // older: ignored
    store.messages.react(m.id, 'carol', '❤️', 11)
    expect(store.messages.reactions(m.id).map((r) => [r.reactorId, r.emoji])).toEqual([
      ['bob', '👍'],
      ['carol', '❤️']
    ])
    store.messages.react(m.id, 'bob', null, 12)
    expect(store.messages.reactions(m.id).map((r) => r.reactorId)).toEqual(['carol'])
    expect(() => store.messages.react(m.id, 'bob', '', 13)).toThrow(expect.objectContaining({ code: 'invalid-input' }))
  })

  it('removes expired messages only', async () => {
    const soon = message(chat, { expiresAt: 100 })
    const later = message(chat, { expiresAt: 200 })
    const never = message(chat)
    store.messages.insertMany([soon, later, never])
    const removed = await store.removeExpired(150)
    expect(removed.messageIds).toEqual([soon.id])
    expect(store.messages.get(soon.id)).toBeUndefined()
    expect(store.messages.get(later.id)).toBeDefined()
    expect(store.messages.countInConversation(chat)).toBe(2)
  })

  it('tracks outgoing status', () => {
    const m = message(chat, { direction: 'outgoing', status: 'pending', senderId: 'me' })
    store.messages.insert(m)
    store.messages.setStatus(m.id, 'delivered')
    expect(store.messages.get(m.id)?.status).toBe('delivered')
    expect(() => store.messages.setStatus(asMessageId('nope'), 'read')).toThrow(expect.objectContaining({ code: 'not-found' }))
  })
})
