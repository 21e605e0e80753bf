import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { TesseraStore } from '../../../src/main/core/store/tessera-store'
import { conversationId, message, openTempStore } from './store-fixture'

let store: TesseraStore
let cleanup: () => void
const chat = conversationId('sync')
beforeEach(async () => {
  ;({ store, cleanup } = await openTempStore('sync'))
  store.conversations.create({ id: chat, kind: 'direct', createdAt: 0, members: [] })
})
afterEach(() => cleanup())

const relay = 'wss://relay.example'
const mailbox = { relayUrl: relay, mailboxId: new Uint8Array(32).fill(5) }
const envelopeId = (n: number): Uint8Array => new Uint8Array(16).fill(n)
const entry = (n: number, createdAt = n) => ({ messageId: envelopeId(n), relayUrl: relay, mailboxId: mailbox.mailboxId, deliveryToken: new Uint8Array(32), envelope: new Uint8Array([n]), createdAt })
const receipt = { envelopeHash: new Uint8Array(32), receivedAt: 99, signature: new Uint8Array(64), duplicate: false }

describe('OutboxRepository', () => {
  it('enqueues idempotently and lists due entries oldest first per relay', () => {
    store.outbox.enqueue(entry(1, 10))
    store.outbox.enqueue({ ...entry(1, 10), envelope: new Uint8Array([42]) })
    store.outbox.enqueue(entry(2, 5))
    store.outbox.enqueue({ ...entry(3, 1), relayUrl: 'wss://other.example' })
    expect(store.outbox.listDue(relay, 100, 10).map((e) => e.envelope[0])).toEqual([2, 1])
    expect(store.outbox.listDue(relay, 7, 10).map((e) => e.envelope[0])).toEqual([2])
    expect(store.outbox.pendingRelays()).toEqual([
      { relayUrl: 'wss://other.example', nextAttemptAt: 1 },
      { relayUrl: relay, nextAttemptAt: 5 }
    ])
  })

  it('keeps the Merkle inclusion proof of a receipt and refuses malformed proofs', () => {
    store.outbox.enqueue(entry(7))
    store.outbox.enqueue(entry(8))
    const proven = { ...receipt, leafIndex: 3, treeSize: 8, proof: [new Uint8Array(32).fill(1), new Uint8Array(32).fill(2)] }
    expect(() => store.outbox.markSent(envelopeId(8), { ...proven, proof: [new Uint8Array(31)] })).toThrow(expect.objectContaining({ code: 'invalid-input' }))
    store.outbox.markSent(envelopeId(7), proven)
    expect(store.outbox.receipt(envelopeId(7))).toEqual(proven)
  })

  it('retries, then settles: sent keeps the receipt and marks the chat message sent; failures mark it failed', () => {
    const sent = message(chat, { direction: 'outgoing', status: 'pending' })
    const failed = message(chat, { direction: 'outgoing', status: 'pending' })
    store.messages.insertMany([sent, failed])
    store.outbox.enqueue({ ...entry(1), chatMessageId: sent.id })
    store.outbox.enqueue({ ...entry(2), chatMessageId: failed.id })
    store.outbox.markRetry(envelopeId(1), 1, 500, 'TIMEOUT')
    expect(store.outbox.listDue(relay, 100, 10).map((e) => e.envelope[0])).toEqual([2])
    expect(store.outbox.state(envelopeId(1))).toEqual({ state: 'pending', attempts: 1, lastError: 'TIMEOUT' })
    store.outbox.markSent(envelopeId(1), receipt)
    store.outbox.markSent(envelopeId(1), receipt) // a repeated receipt is harmless
    store.outbox.markFailed(envelopeId(2), 'MAILBOX_NOT_FOUND')
    expect(store.messages.get(sent.id)?.status).toBe('sent')
    expect(store.outbox.receipt(envelopeId(1))).toEqual(receipt)
    expect(store.outbox.receipt(envelopeId(2))).toBeUndefined()
    expect(store.messages.get(failed.id)?.status).toBe('failed')
    expect(store.outbox.pendingRelays()).toEqual([])
    expect(() => store.outbox.markRetry(envelopeId(9), 1, 1, 'x')).toThrow(expect.objectContaining({ code: 'not-found' }))
    expect(() => store.outbox.enqueue({ ...entry(1), messageId: new Uint8Array(15) })).toThrow(expect.objectContaining({ code: 'invalid-input' }))
  })
})

describe('RelayCursorRepository', () => {
  it('starts at 0 and only moves forward, per relay mailbox', () => {
    expect(store.cursors.load(mailbox)).toBe(0)
    store.cursors.advance(mailbox, 10)
    store.cursors.advance(mailbox, 4)
    expect(store.cursors.load(mailbox)).toBe(10)
    expect(store.cursors.load({ ...mailbox, relayUrl: 'wss://other.example' })).toBe(0)
    expect(() => store.cursors.advance(mailbox, -1)).toThrow(expect.objectContaining({ code: 'invalid-input' }))
  })
})

describe('storeReceivedBatch', () => {
  it('stores messages, sessions and the cursor together; duplicates are reported', () => {
    const newChat = conversationId('from-stranger')
    const first = message(newChat)
    const result = store.storeReceivedBatch({
      conversations: [{ id: newChat, kind: 'direct', createdAt: 1, members: [{ memberId: 'stranger' }] }],
      messages: [first, message(chat)],
      sessionUpdates: [{ accountId: 'stranger', deviceId: 'd', formatVersion: 1, state: new Uint8Array([1]) }],
      cursor: { mailbox, lastSeq: 2 }
    })
    expect(result.inserted).toHaveLength(2)
    const again = store.storeReceivedBatch({ messages: [first], sessionUpdates: [], cursor: { mailbox, lastSeq: 3 } })
    expect(again).toEqual({ inserted: [], duplicates: [first.id] })
    expect(store.cursors.load(mailbox)).toBe(3)
  })

  it('is all or nothing: a bad message rolls back the sessions and the cursor', () => {
    store.sessions.put({ accountId: 'bob', deviceId: 'd', formatVersion: 1, state: new Uint8Array([1]) })
    store.cursors.advance(mailbox, 5)
    const good = message(chat)
    expect(() =>
      store.storeReceivedBatch({
        messages: [good, message(conversationId('missing'))],
        sessionUpdates: [{ accountId: 'bob', deviceId: 'd', formatVersion: 1, state: new Uint8Array([2]) }],
        cursor: { mailbox, lastSeq: 9 }
      })
    ).toThrow(expect.objectContaining({ code: 'invalid-input' }))
    expect(store.messages.get(good.id)).toBeUndefined()
    expect(store.sessions.get({ accountId: 'bob', deviceId: 'd' })?.state).toEqual(new Uint8Array([1]))
    expect(store.cursors.load(mailbox)).toBe(5)
  })
})

describe('storeOutgoingBatch', () => {
  it('stores the pending message, one envelope per device linked to it, and the sessions together', () => {
    const m = message(chat, { direction: 'outgoing', status: 'pending', senderId: 'me' })
    store.storeOutgoingBatch({
      message: m,
      envelopes: [entry(1), entry(2)],
      sessionUpdates: [
        { accountId: 'bob', deviceId: 'd1', formatVersion: 1, state: new Uint8Array([1]) },
        { accountId: 'bob', deviceId: 'd2', formatVersion: 1, state: new Uint8Array([2]) }
      ]
    })
    expect(store.messages.get(m.id)?.status).toBe('pending')
    expect(store.outbox.listDue(relay, 100, 10)).toHaveLength(2)
    store.outbox.markFailed(envelopeId(1), 'MAILBOX_NOT_FOUND')
    expect(store.messages.get(m.id)?.status).toBe('pending') // one device still pending
    store.outbox.markSent(envelopeId(2), receipt)
    expect(store.messages.get(m.id)?.status).toBe('sent')
  })

  it('is all or nothing: a bad envelope leaves message and sessions untouched', () => {
    store.sessions.put({ accountId: 'bob', deviceId: 'd1', formatVersion: 1, state: new Uint8Array([1]) })
    const m = message(chat, { direction: 'outgoing', status: 'pending', senderId: 'me' })
    expect(() =>
      store.storeOutgoingBatch({
        message: m,
        envelopes: [entry(1), { ...entry(2), messageId: new Uint8Array(3) }],
        sessionUpdates: [{ accountId: 'bob', deviceId: 'd1', formatVersion: 1, state: new Uint8Array([9]) }]
      })
    ).toThrow(expect.objectContaining({ code: 'invalid-input' }))
    expect(store.messages.get(m.id)).toBeUndefined()
    expect(store.outbox.pendingRelays()).toEqual([])
    expect(store.sessions.get({ accountId: 'bob', deviceId: 'd1' })?.state).toEqual(new Uint8Array([1]))
  })
})

describe('SettingsRepository and ReportRepository', () => {
  it('stores JSON settings under checked keys', () => {
    store.settings.set('notifications.sound', { enabled: true, volume: 3 })
    expect(store.settings.get('notifications.sound')).toEqual({ enabled: true, volume: 3 })
    expect(() => store.settings.set('Bad Key', 1)).toThrow(expect.objectContaining({ code: 'invalid-input' }))
    expect(store.settings.delete('notifications.sound')).toBe(true)
    expect(store.settings.get('notifications.sound')).toBeUndefined()
  })

  it('records reports and their status', () => {
    store.reports.create({ reportId: 'r1', messageId: 'm', conversationId: chat, reason: 'spam', evidence: new Uint8Array([1]), createdAt: 1 })
    store.reports.setStatus('r1', 'sent', 5)
    expect(store.reports.list()).toMatchObject([{ reportId: 'r1', status: 'sent', sentAt: 5 }])
    expect(() => store.reports.setStatus('nope', 'sent', 5)).toThrow(expect.objectContaining({ code: 'not-found' }))
  })
})
