import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { asContactId } from '../../../src/shared/ids'
import type { TesseraStore } from '../../../src/main/core/store/tessera-store'
import { conversationId, message, openTempStore } from './store-fixture'

let store: TesseraStore
let cleanup: () => void
beforeEach(async () => {
  ;({ store, cleanup } = await openTempStore('conversations'))
})
afterEach(() => cleanup())

describe('ConversationRepository', () => {
  it('creates with members once, lists by activity, updates settings', () => {
    const a = conversationId('a')
    const b = conversationId('b')
    expect(store.conversations.create({ id: a, kind: 'group', title: 'Team', createdAt: 1, members: [{ memberId: 'me', role: 'admin' }, { memberId: 'bob' }] })).toBe('created')
    expect(store.conversations.create({ id: a, kind: 'group', createdAt: 2, members: [] })).toBe('exists')
    store.conversations.create({ id: b, kind: 'direct', createdAt: 2, members: [{ memberId: 'carol' }] })
    store.messages.insert(message(a, { sentAt: 50 }))
    expect(store.conversations.list().map((c) => c.id)).toEqual([a, b])
    expect(store.conversations.members(a).map((m) => [m.memberId, m.role])).toEqual([['bob', 'member'], ['me', 'admin']].sort())
    store.conversations.update(a, { expireTimerSeconds: 3600, archived: true })
    expect(store.conversations.get(a)).toMatchObject({ title: 'Team', expireTimerSeconds: 3600, archived: true })
    expect(store.conversations.list().map((c) => c.id)).toEqual([b])
    expect(() => store.conversations.update(a, { expireTimerSeconds: -1 })).toThrow(expect.objectContaining({ code: 'invalid-input' }))
    expect(store.conversations.removeMember(a, 'bob')).toBe(true)
  })

  it('deleting a conversation deletes its messages', async () => {
    const a = conversationId('gone')
    store.conversations.create({ id: a, kind: 'direct', createdAt: 1, members: [] })
    store.messages.insertMany([message(a), message(a)])
    await store.deleteConversation(a)
    expect(store.conversations.get(a)).toBeUndefined()
    expect(store.db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(0)
  })
})

describe('ContactRepository', () => {
  it('flags a changed identity key and clears verification', () => {
    const bob = asContactId('bob')
    const key1 = new Uint8Array(32).fill(1)
    expect(store.contacts.recordIdentityKey({ id: bob, displayName: 'Bob', identityPublicKey: key1, at: 1 })).toBe('new')
    store.contacts.setVerification(bob, 'verified', 2)
    expect(store.contacts.recordIdentityKey({ id: bob, displayName: 'Bobby', identityPublicKey: key1, at: 3 })).toBe('same')
    expect(store.contacts.get(bob)).toMatchObject({ displayName: 'Bobby', verification: 'verified', verifiedAt: 2 })
    expect(store.contacts.recordIdentityKey({ id: bob, displayName: 'Bobby', identityPublicKey: new Uint8Array(32).fill(2), at: 4 })).toBe('changed')
    expect(store.contacts.get(bob)).toMatchObject({ verification: 'changed', verifiedAt: null })
  })

  it('blocks, accepts requests and reports unknown contacts as not-found', () => {
    const eve = asContactId('eve')
    store.contacts.recordIdentityKey({ id: eve, displayName: 'Eve', identityPublicKey: new Uint8Array(32), messageRequest: true, at: 1 })
    expect(store.contacts.get(eve)?.messageRequest).toBe(true)
    store.contacts.acceptRequest(eve, 2)
    store.contacts.setBlocked(eve, true, 3)
    expect(store.contacts.get(eve)).toMatchObject({ messageRequest: false, blocked: true })
    expect(() => store.contacts.setBlocked(asContactId('nobody'), true, 1)).toThrow(expect.objectContaining({ code: 'not-found' }))
    expect(() => store.contacts.recordIdentityKey({ id: eve, displayName: 'E', identityPublicKey: new Uint8Array(0), at: 1 })).toThrow(expect.objectContaining({ code: 'invalid-input' }))
  })
})
