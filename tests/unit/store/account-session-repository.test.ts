import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { asAccountId, asDeviceId } from '../../../src/shared/ids'
import type { TesseraStore } from '../../../src/main/core/store/tessera-store'
import { openTempStore } from './store-fixture'

let store: TesseraStore
let cleanup: () => void
beforeEach(async () => {
  ;({ store, cleanup } = await openTempStore('account'))
})
afterEach(() => cleanup())

const me = asAccountId('me')
const bob = asAccountId('bob')

describe('AccountRepository', () => {
  it('has exactly one local account', () => {
    expect(store.account.getLocal()).toBeUndefined()
    const local = { accountId: me, deviceId: asDeviceId('d1'), displayName: 'Me', identityFormat: 1, identitySecret: new Uint8Array([1, 2, 3]), createdAt: 5 }
    store.account.createLocal(local)
    expect(store.account.getLocal()).toEqual(local)
    expect(() => store.account.createLocal(local)).toThrow(expect.objectContaining({ code: 'conflict' }))
  })

  it('stores devices, revokes them, and refuses device-list rollbacks and equivocation', () => {
    const device = { accountId: bob, deviceId: asDeviceId('b1'), name: 'laptop', identityPublicKey: new Uint8Array(32), signingPublicKey: new Uint8Array(32), certificate: new Uint8Array(64), addedAt: 1, revokedAt: null }
    store.account.upsertDevice(device)
    store.account.upsertDevice({ ...device, deviceId: asDeviceId('b2') })
    expect(store.account.revokeDevice(bob, asDeviceId('b1'), 9)).toBe(true)
    expect(store.account.devices(bob).map((d) => d.deviceId)).toEqual(['b2'])
    expect(store.account.devices(bob, { includeRevoked: true })).toHaveLength(2)

    expect(store.account.storeDeviceList(bob, 2, new Uint8Array([2]), 1)).toBe('stored')
    expect(store.account.storeDeviceList(bob, 2, new Uint8Array([2]), 1)).toBe('unchanged')
    expect(store.account.storeDeviceList(bob, 2, new Uint8Array([9]), 1)).toBe('rollback')
    expect(store.account.storeDeviceList(bob, 1, new Uint8Array([1]), 1)).toBe('rollback')
    expect(store.account.storeDeviceList(bob, 3, new Uint8Array([3]), 1)).toBe('stored')
    expect(store.account.deviceListVersion(bob)).toBe(3)
  })
})

describe('SessionRepository and PrekeyRepository', () => {
  it('stores opaque versioned session blobs per peer device', () => {
    const peer = { accountId: 'bob', deviceId: 'b1' }
    expect(store.sessions.get(peer)).toBeUndefined()
    store.sessions.put({ ...peer, formatVersion: 1, state: new Uint8Array([1, 2]) })
    store.sessions.put({ ...peer, formatVersion: 2, state: new Uint8Array([3]) })
    expect(store.sessions.get(peer)).toEqual({ formatVersion: 2, state: new Uint8Array([3]) })
    expect(store.sessions.devicesWithSessions('bob')).toEqual(['b1'])
    expect(() => store.sessions.put({ ...peer, formatVersion: 0, state: new Uint8Array([1]) })).toThrow(expect.objectContaining({ code: 'invalid-input' }))
    expect(() => store.sessions.put({ ...peer, formatVersion: 1, state: new Uint8Array(0) })).toThrow(expect.objectContaining({ code: 'invalid-input' }))
    expect(store.sessions.get(peer)?.formatVersion).toBe(2)
    store.sessions.putSenderKey({ conversationId: 'g', senderAccountId: 'bob', senderDeviceId: 'b1', formatVersion: 1, state: new Uint8Array([7]) })
    expect(store.sessions.getSenderKey({ conversationId: 'g', senderAccountId: 'bob', senderDeviceId: 'b1' })?.state).toEqual(new Uint8Array([7]))
    expect(store.sessions.deleteSenderKeys('g')).toBe(1)
  })

  it('consumes a one-time prekey exactly once; signed prekeys stay', () => {
    store.prekeys.putMany([
      { kind: 'one-time-x25519', keyId: 1, formatVersion: 1, keyPair: new Uint8Array([1]), createdAt: 0 },
      { kind: 'signed-x25519', keyId: 1, formatVersion: 1, keyPair: new Uint8Array([2]), createdAt: 0 }
    ])
    expect(store.prekeys.consume('one-time-x25519', 1)?.keyPair).toEqual(new Uint8Array([1]))
    expect(store.prekeys.consume('one-time-x25519', 1)).toBeUndefined()
    expect(store.prekeys.consume('signed-x25519', 1, 5)?.keyPair).toEqual(new Uint8Array([2]))
    expect(store.prekeys.get('signed-x25519', 1)?.usedAt).toBe(5)
    expect(store.prekeys.count('one-time-x25519')).toBe(0)
  })
})
