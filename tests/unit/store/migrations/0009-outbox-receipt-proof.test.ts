import { afterEach, describe, expect, it } from 'vitest'
import { databaseAtVersion } from './migration-fixture'

let cleanup: () => void = () => {}
afterEach(() => cleanup())

const columns = (db: ReturnType<typeof databaseAtVersion>['db']): string[] =>
  (db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('outbox') as string[]).filter((name) => name.startsWith('receipt_'))

describe('migration 0009 outbox-receipt-proof', () => {
  it('adds leaf index, tree size and proof columns to the outbox, keeping existing rows', () => {
    const at = databaseAtVersion(9)
    cleanup = at.cleanup
    expect(columns(at.db)).toEqual([
      'receipt_envelope_hash',
      'receipt_received_at',
      'receipt_signature',
      'receipt_duplicate',
      'receipt_leaf_index',
      'receipt_tree_size',
      'receipt_proof'
    ])
  })

  it('only accepts whole 32-byte hashes in the proof column', () => {
    const at = databaseAtVersion(9)
    cleanup = at.cleanup
    const insert = at.db.prepare(
      "INSERT INTO outbox (envelope_id, relay_url, mailbox_id, delivery_token, envelope, next_attempt_at, created_at, receipt_proof) VALUES (?, 'wss://r', x'01', x'', x'02', 0, 0, ?)"
    )
    expect(() => insert.run(Buffer.alloc(16, 1), Buffer.alloc(33))).toThrow(/CHECK/)
    insert.run(Buffer.alloc(16, 2), Buffer.alloc(64))
  })
})
