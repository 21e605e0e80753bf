import { afterEach, describe, expect, it } from 'vitest'
import { addedObjects, databaseAtVersion, isStrict } from './migration-fixture'

let cleanup: () => void = () => {}
afterEach(() => cleanup())

describe('migration 0002 sessions-prekeys', () => {
  it('adds sessions, sender_keys and prekeys as STRICT tables', () => {
    const at = databaseAtVersion(2)
    cleanup = at.cleanup
    expect(addedObjects(at.db, at.before)).toEqual(['table:prekeys', 'table:sender_keys', 'table:sessions'])
    for (const table of ['sessions', 'sender_keys', 'prekeys']) expect(isStrict(at.db, table)).toBe(true)
  })

  it('keeps one session per peer device and only known prekey kinds', () => {
    const at = databaseAtVersion(2)
    cleanup = at.cleanup
    const session = at.db.prepare('INSERT INTO sessions VALUES (?, ?, 1, ?, 0)')
    session.run('bob', 'd1', Buffer.alloc(8))
    expect(() => session.run('bob', 'd1', Buffer.alloc(8))).toThrow(/UNIQUE|PRIMARY/)
    expect(() => at.db.prepare("INSERT INTO prekeys VALUES ('bogus', 1, 1, x'00', 0, NULL)").run()).toThrow(/CHECK/)
  })
})
