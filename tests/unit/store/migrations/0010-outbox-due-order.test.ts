import { afterEach, describe, expect, it } from 'vitest'
import { MIGRATIONS } from '../../../../src/main/core/store/migrations'
import { migrateDatabase } from '../../../../src/main/core/store/migrate'
import { openTempDatabase } from '../store-fixture'
import { databaseAtVersion } from './migration-fixture'

let cleanup: () => void = () => {}
afterEach(() => cleanup())

const DUE_QUERY = `SELECT envelope_id FROM outbox WHERE state = 'pending' AND relay_url = ? AND next_attempt_at <= ?
                   ORDER BY next_attempt_at, created_at LIMIT ?`

describe('migration 0010 outbox-due-order', () => {
  it('lets the due-entries query walk the index without sorting, in due order', () => {
    const at = databaseAtVersion(10)
    cleanup = at.cleanup
    const plan = (at.db.prepare(`EXPLAIN QUERY PLAN ${DUE_QUERY}`).all('wss://r', 10, 5) as { detail: string }[]).map((row) => row.detail)
    expect(plan.some((detail) => detail.includes('outbox_due'))).toBe(true)
    expect(plan.some((detail) => /TEMP B-TREE/.test(detail))).toBe(false)

    const insert = at.db.prepare(
      "INSERT INTO outbox (envelope_id, relay_url, mailbox_id, delivery_token, envelope, next_attempt_at, created_at) VALUES (?, 'wss://r', x'01', x'', x'02', ?, ?)"
    )
    // Same due time, created in reverse insertion order: created_at breaks the tie.
    insert.run(Buffer.alloc(16, 1), 5, 30)
    insert.run(Buffer.alloc(16, 2), 5, 10)
    insert.run(Buffer.alloc(16, 3), 1, 50)
    insert.run(Buffer.alloc(16, 4), 99, 0) // not due yet
    const ids = (at.db.prepare(DUE_QUERY).pluck().all('wss://r', 10, 5) as Buffer[]).map((id) => id[0])
    expect(ids).toEqual([3, 2, 1])
  })

  it('keeps the rows that were pending before it ran', () => {
    const temp = openTempDatabase('migration-10-rows')
    cleanup = temp.cleanup
    migrateDatabase(temp.db, MIGRATIONS, 9)
    temp.db
      .prepare("INSERT INTO outbox (envelope_id, relay_url, mailbox_id, delivery_token, envelope, next_attempt_at, created_at) VALUES (?, 'wss://r', x'01', x'', x'02', 1, 1)")
      .run(Buffer.alloc(16, 7))
    migrateDatabase(temp.db, MIGRATIONS, 10)
    expect((temp.db.prepare(DUE_QUERY).pluck().all('wss://r', 10, 5) as Buffer[]).map((id) => id[0])).toEqual([7])
  })
})
