import { afterEach, describe, expect, it } from 'vitest'
import { addedObjects, databaseAtVersion, isStrict } from './migration-fixture'

let cleanup: () => void = () => {}
afterEach(() => cleanup())

describe('migration 0005 attachments', () => {
  it('adds the attachments table with message and conversation indexes', () => {
    const at = databaseAtVersion(5)
    cleanup = at.cleanup
    expect(addedObjects(at.db, at.before)).toEqual(['index:attachments_by_conversation', 'index:attachments_by_message', 'table:attachments'])
    expect(isStrict(at.db, 'attachments')).toBe(true)
  })

  it('deletes attachment rows with their message', () => {
    const at = databaseAtVersion(5)
    cleanup = at.cleanup
    at.db.exec(`
      INSERT INTO conversations (conversation_id, kind, created_at) VALUES ('k', 'direct', 0);
      INSERT INTO messages (message_id, conversation_id, sender_id, direction, body, sent_at, received_at, status)
        VALUES ('m', 'k', 'a', 'incoming', 'x', 0, 0, 'received');
      INSERT INTO attachments VALUES ('f', 'm', 'k', 'a.png', 'image/png', 1, 1, x'00', x'00', 0);
      DELETE FROM messages WHERE message_id = 'm';
    `)
    expect(at.db.prepare('SELECT count(*) FROM attachments').pluck().get()).toBe(0)
  })
})
