import { afterEach, describe, expect, it } from 'vitest'
import { addedObjects, databaseAtVersion, isStrict } from './migration-fixture'

let cleanup: () => void = () => {}
afterEach(() => cleanup())

describe('migration 0003 contacts-conversations', () => {
  it('adds contacts, conversations, members and the activity index', () => {
    const at = databaseAtVersion(3)
    cleanup = at.cleanup
    expect(addedObjects(at.db, at.before)).toEqual([
      'index:conversations_by_activity',
      'table:contacts',
      'table:conversation_members',
      'table:conversations'
    ])
    for (const table of ['contacts', 'conversations', 'conversation_members']) expect(isStrict(at.db, table)).toBe(true)
  })

  it('constrains verification states and cascades members with their conversation', () => {
    const at = databaseAtVersion(3)
    cleanup = at.cleanup
    expect(() => at.db.prepare("INSERT INTO contacts (contact_id, display_name, identity_public_key, verification, created_at, updated_at) VALUES ('c', 'C', x'01', 'trusted', 0, 0)").run()).toThrow(/CHECK/)
    at.db.prepare("INSERT INTO conversations (conversation_id, kind, created_at) VALUES ('k', 'group', 0)").run()
    at.db.prepare("INSERT INTO conversation_members VALUES ('k', 'alice', 'admin', 0)").run()
    expect(() => at.db.prepare("INSERT INTO conversation_members VALUES ('missing', 'alice', 'admin', 0)").run()).toThrow(/FOREIGN KEY/)
    at.db.prepare("DELETE FROM conversations WHERE conversation_id = 'k'").run()
    expect(at.db.prepare('SELECT count(*) FROM conversation_members').pluck().get()).toBe(0)
  })
})
