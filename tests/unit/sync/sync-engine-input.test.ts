// Bad input to SyncEngine.send is refused with a RangeError/ContactAddressError
// before anything is written: the outbox (a real encrypted store) stays empty.
import { randomBytes } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ContactAddressError } from '../../../src/main/core/sync/contact-address'
import { storeBackedSync } from '../../../src/main/core/sync/store-backed-sync'
import { SyncEngine } from '../../../src/main/core/sync/sync-engine'
import { padEnvelope } from '../../../src/shared/relay/padding'
import { createTempStore, type TempStore } from '../../integration/sync/support/temp-store'

describe('SyncEngine.send input checks', () => {
  let store: TempStore
  let engine: SyncEngine<unknown>

  beforeEach(async () => {
    store = await createTempStore()
    const sync = storeBackedSync(store.store)
    // Never started: send() only validates and enqueues.
    engine = new SyncEngine({ mailboxes: [], inbound: sync.inbound, outbox: sync.outbox, decrypt: () => ({ messages: [], sessionUpdates: [] }) })
  })
  afterEach(() => store.dispose())

  const good = () => ({
    relayUrl: 'wss://relay.example.org',
    mailboxId: new Uint8Array(randomBytes(32)),
    deliveryToken: new Uint8Array(randomBytes(32)),
    envelope: padEnvelope(new Uint8Array(randomBytes(100)))
  })
  const outboxRows = (): number => store.db.prepare('SELECT count(*) FROM outbox').pluck().get() as number

  it('enqueues a well-formed envelope under the normalised relay URL', () => {
    const id = engine.send(good())
    expect(id).toMatch(/^[0-9a-f]{32}$/)
    expect(store.db.prepare('SELECT relay_url FROM outbox').pluck().get()).toBe('wss://relay.example.org/')
  })

  it('refuses malformed input and stores nothing', () => {
    expect(() => engine.send({ ...good(), relayUrl: 'https://relay.example.org' })).toThrow(ContactAddressError)
    expect(() => engine.send({ ...good(), mailboxId: new Uint8Array(31) })).toThrow(RangeError)
    expect(() => engine.send({ ...good(), deliveryToken: new Uint8Array(16) })).toThrow(RangeError)
    expect(() => engine.send({ ...good(), envelope: new Uint8Array(1000) })).toThrow(RangeError) // not a padding bucket
    expect(() => engine.send({ ...good(), messageId: new Uint8Array(8) })).toThrow(RangeError)
    expect(outboxRows()).toBe(0)
  })

  it('is idempotent for a repeated message id', () => {
    const message = { ...good(), messageId: new Uint8Array(randomBytes(16)) }
    engine.send(message)
    engine.send(message)
    expect(outboxRows()).toBe(1)
  })
})
