import { afterEach, describe, expect, it } from 'vitest'
import { addedObjects, databaseAtVersion, isStrict } from './migration-fixture'

let cleanup: () => void = () => {}
afterEach(() => cleanup())

describe('migration 0007 settings-reports', () => {
  it('adds the settings and reports tables', () => {
    const at = databaseAtVersion(7)
    cleanup = at.cleanup
    expect(addedObjects(at.db, at.before)).toEqual(['table:reports', 'table:settings'])
    expect(isStrict(at.db, 'settings')).toBe(true)
    expect(isStrict(at.db, 'reports')).toBe(true)
  })

  it('constrains report states', () => {
    const at = databaseAtVersion(7)
    cleanup = at.cleanup
    expect(() => at.db.prepare("INSERT INTO reports (report_id, reason, status, created_at) VALUES ('r', 'spam', 'lost', 0)").run()).toThrow(/CHECK/)
  })
})
