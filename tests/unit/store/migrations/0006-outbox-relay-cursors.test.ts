import { afterEach, describe, expect, it } from 'vitest'
import { addedObjects, databaseAtVersion, isStrict } from './migration-fixture'

let cleanup: () => void = () => {}
afterEach(() => cleanup())

describe('migration 0006 outbox-relay-cursors', () => {
  it('adds the outbox with its due index and the relay cursors', () => {
    const at = databaseAtVersion(6)
    cleanup = at.cleanup
    expect(addedObjects(at.db, at.before)).toEqual(['index:outbox_by_chat_message', 'index:outbox_due', 'table:outbox', 'table:relay_cursors'])
    expect(isStrict(at.db, 'outbox')).toBe(true)
    expect(isStrict(at.db, 'relay_cursors')).toBe(true)
  })

  it('requires 16-byte envelope ids and known states', () => {
    const at = databaseAtVersion(6)
    cleanup = at.cleanup
    const insert = at.db.prepare(
      "INSERT INTO outbox (envelope_id, relay_url, mailbox_id, delivery_token, envelope, state, next_attempt_at, created_at) VALUES (?, 'wss://r', x'01', x'', x'02', ?, 0, 0)"
    )
    expect(() => insert.run(Buffer.alloc(15), 'pending')).toThrow(/CHECK/)
    expect(() => insert.run(Buffer.alloc(16), 'lost')).toThrow(/CHECK/)
    insert.run(Buffer.alloc(16), 'pending')
  })
})
