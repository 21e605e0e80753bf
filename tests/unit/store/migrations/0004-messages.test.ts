import { afterEach, describe, expect, it } from 'vitest'
import { addedObjects, databaseAtVersion, isStrict } from './migration-fixture'

let cleanup: () => void = () => {}
afterEach(() => cleanup())

describe('migration 0004 messages', () => {
  it('adds messages, reactions, edits and the paging and expiry indexes', () => {
    const at = databaseAtVersion(4)
    cleanup = at.cleanup
    expect(addedObjects(at.db, at.before)).toEqual([
      'index:messages_by_conversation',
      'index:messages_by_expiry',
      'table:message_edits',
      'table:message_reactions',
      'table:messages'
    ])
    for (const table of ['messages', 'message_reactions', 'message_edits']) expect(isStrict(at.db, table)).toBe(true)
  })

  it('makes message ids unique and requires an existing conversation', () => {
    const at = databaseAtVersion(4)
    cleanup = at.cleanup
    at.db.prepare("INSERT INTO conversations (conversation_id, kind, created_at) VALUES ('k', 'direct', 0)").run()
    const insert = at.db.prepare(
      "INSERT INTO messages (message_id, conversation_id, sender_id, direction, body, sent_at, received_at, status) VALUES (?, ?, 'a', 'incoming', 'hi', 0, 0, 'received')"
    )
    insert.run('m1', 'k')
    expect(() => insert.run('m1', 'k')).toThrow(/UNIQUE/)
    expect(() => insert.run('m2', 'nope')).toThrow(/FOREIGN KEY/)
  })

  it('uses the conversation index to page the latest messages', () => {
    const at = databaseAtVersion(4)
    cleanup = at.cleanup
    const plan = at.db
      .prepare("EXPLAIN QUERY PLAN SELECT * FROM messages WHERE conversation_id = 'k' ORDER BY sent_at DESC, seq DESC LIMIT 50")
      .all() as { detail: string }[]
    expect(plan.map((row) => row.detail).join(' ')).toMatch(/messages_by_conversation/)
    expect(plan.map((row) => row.detail).join(' ')).not.toMatch(/TEMP B-TREE/)
  })
})
