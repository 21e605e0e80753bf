import { afterEach, describe, expect, it } from 'vitest'
import { addedObjects, databaseAtVersion, isStrict } from './migration-fixture'

let cleanup: () => void = () => {}
afterEach(() => cleanup())

describe('migration 0001 account-devices', () => {
  it('adds the account, devices and device_lists STRICT tables', () => {
    const at = databaseAtVersion(1)
    cleanup = at.cleanup
    expect(addedObjects(at.db, at.before)).toEqual(['table:account', 'table:device_lists', 'table:devices'])
    for (const table of ['account', 'devices', 'device_lists']) expect(isStrict(at.db, table)).toBe(true)
  })

  it('allows exactly one local account row', () => {
    const at = databaseAtVersion(1)
    cleanup = at.cleanup
    const insert = at.db.prepare('INSERT INTO account VALUES (?, ?, ?, ?, ?, ?, ?)')
    insert.run(1, 'acc', 'dev', '', 1, Buffer.alloc(4), 0)
    expect(() => insert.run(2, 'acc2', 'dev', '', 1, Buffer.alloc(4), 0)).toThrow(/CHECK/)
  })

  it('rejects a wrongly typed value (STRICT) and a negative device list version', () => {
    const at = databaseAtVersion(1)
    cleanup = at.cleanup
    expect(() => at.db.prepare('INSERT INTO device_lists VALUES (?, ?, ?, ?)').run('acc', 'one', Buffer.alloc(1), 0)).toThrow(/cannot store TEXT value/)
    expect(() => at.db.prepare('INSERT INTO device_lists VALUES (?, ?, ?, ?)').run('acc', -1, Buffer.alloc(1), 0)).toThrow(/CHECK/)
  })
})
