import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AppendRequest, MailboxRecord } from '../../../src/relay/store/mailbox-store'
import { openRelayDatabase } from '../../../src/relay/store/open-database'
import { SchemaTooNewError } from '../../../src/relay/store/schema'
import { SqliteMailboxStore } from '../../../src/relay/store/sqlite-mailbox-store'

// MailboxStore contract (issue 5 item 2) on a real SQLite file.
const QUOTA = { mailboxQuota: 5, firstContactQuota: 2 }
const DAY = 24 * 3600_000
let counter = 0
const id16 = (): Uint8Array => {
  const out = new Uint8Array(16)
  new DataView(out.buffer).setUint32(0, ++counter)
  return out
}

describe('SqliteMailboxStore', () => {
  let dir: string
  let db: Database.Database
  let store: SqliteMailboxStore
  let mailbox: MailboxRecord
  const append = (overrides: Partial<AppendRequest> = {}, receivedAt = 1_000): ReturnType<SqliteMailboxStore['appendMany']>[number] =>
    store.appendMany([{ mailbox, messageId: id16(), envelope: new Uint8Array(256).fill(1), envelopeHash: new Uint8Array(32).fill(2), firstContact: false, receivedAt, ...overrides }])[0]!

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-store-'))
    db = openRelayDatabase(dir, false)
    store = new SqliteMailboxStore(db, QUOTA)
    expect(store.createMailbox(new Uint8Array(32).fill(9), new Uint8Array(32).fill(8), new Uint8Array(32), 0)).toBe('created')
    mailbox = store.getMailbox(new Uint8Array(32).fill(9))!
  })
  afterEach(() => db.close())

  it('reports existing mailboxes by owner', () => {
    expect(store.createMailbox(mailbox.mailboxId, mailbox.ownerKey, new Uint8Array(32), 0)).toBe('exists-same-owner')
    expect(store.createMailbox(mailbox.mailboxId, new Uint8Array(32).fill(1), new Uint8Array(32), 0)).toBe('exists-other-owner')
    expect(store.getMailbox(new Uint8Array(32))).toBeUndefined()
  })

  it('assigns monotonic seqs and dedupes by message id', () => {
    const messageId = id16()
    expect(append({ messageId })).toMatchObject({ status: 'stored', seq: 1 })
    expect(append()).toMatchObject({ status: 'stored', seq: 2 })
    expect(append({ messageId }, 5_000)).toMatchObject({ status: 'duplicate', receivedAt: 1_000 })
    expect(store.readAfter(mailbox, 0, 10).map((m) => m.seq)).toEqual([1, 2])
  })

  it('acks cumulatively and selectively; never acks seqs that do not exist yet', () => {
    for (let i = 0; i < 5; i++) append()
    expect(store.ack(mailbox, 2, [4], 10)).toBe(3)
    expect(store.readAfter(mailbox, 0, 10).map((m) => m.seq)).toEqual([3, 5])
    expect(store.ack(mailbox, 1_000, [], 10)).toBe(2)
    append()
    expect(store.readAfter(mailbox, 0, 10).map((m) => m.seq)).toEqual([6])
  })

  it('counts each message once across selective and later cumulative acks; the floor survives reopening', () => {
    for (let i = 0; i < 5; i++) append()
    expect(store.ack(mailbox, 0, [2, 4, 4], 10)).toBe(2)
    expect(store.pendingCount(mailbox)).toBe(3)
    expect(store.ack(mailbox, 4, [], 10)).toBe(2) // 1 and 3; 2 and 4 were already acknowledged
    expect(store.pendingCount(mailbox)).toBe(1)
    db.close()
    db = openRelayDatabase(dir, false)
    store = new SqliteMailboxStore(db, QUOTA)
    mailbox = store.getMailbox(new Uint8Array(32).fill(9))!
    expect(store.pendingCount(mailbox)).toBe(1)
    expect(store.readAfter(mailbox, 0, 10).map((m) => m.seq)).toEqual([5])
  })

  it('at quota refuses and keeps one dropped marker counting the refusals', () => {
    for (let i = 0; i < 5; i++) append()
    expect(append().status).toBe('full')
    expect(append().status).toBe('full')
    const pending = store.readAfter(mailbox, 0, 10)
    expect(pending.at(-1)).toEqual({ kind: 'dropped', seq: 6, count: 2, firstDroppedAt: 1_000 })
    store.ack(mailbox, 6, [], 10)
    expect(append()).toMatchObject({ status: 'stored', seq: 7 })
  })

  it('limits first-contact messages separately, without a marker', () => {
    append({ firstContact: true })
    append({ firstContact: true })
    expect(append({ firstContact: true }).status).toBe('full')
    expect(append()).toMatchObject({ status: 'stored', seq: 3 })
    expect(store.readAfter(mailbox, 0, 10).every((m) => m.kind === 'envelope')).toBe(true)
  })

  it('expires in batches and never reuses a seq, also after reopening', () => {
    for (let i = 0; i < 4; i++) append({}, 1_000)
    store.ack(mailbox, 1, [], 2_000)
    const now = 31 * DAY
    expect(store.expire(now, 30 * DAY, DAY, 2)).toMatchObject({ expiredMessages: 2, forgottenIds: 0 })
    expect(store.expire(now, 30 * DAY, DAY, 2).expiredMessages).toBe(2)
    expect(store.expire(now, 30 * DAY, DAY, 2).expiredMessages).toBe(0)
    expect(store.pendingCount(mailbox)).toBe(0)
    db.close()
    db = openRelayDatabase(dir, false)
    store = new SqliteMailboxStore(db, QUOTA)
    mailbox = store.getMailbox(new Uint8Array(32).fill(9))!
    expect(append()).toMatchObject({ status: 'stored', seq: 5 })
  })

  it('forgets acknowledged ids after the dedupe window', () => {
    const messageId = id16()
    append({ messageId })
    store.ack(mailbox, 1, [], 2_000)
    expect(append({ messageId }).status).toBe('duplicate')
    expect(store.expire(2_000 + DAY + 1, 30 * DAY, DAY, 100).forgottenIds).toBe(1)
    expect(append({ messageId })).toMatchObject({ status: 'stored', seq: 2 })
  })

  it('forgets in rowid passes: steps over old pending rows, finds them once acknowledged later', () => {
    const ids = [id16(), id16(), id16(), id16()]
    ids.forEach((messageId) => append({ messageId }, 1_000))
    store.ack(mailbox, 1, [3], 2_000) // 2 and 4 stay pending
    const later = 1_000 + DAY + 1
    expect(store.expire(later, 30 * DAY, DAY, 2)).toMatchObject({ forgottenIds: 1, more: true })
    expect(store.expire(later, 30 * DAY, DAY, 2)).toMatchObject({ forgottenIds: 1 })
    expect(store.expire(later, 30 * DAY, DAY, 2).forgottenIds).toBe(0)
    store.ack(mailbox, 4, [], later)
    let forgotten = 0
    for (let i = 0; i < 4; i++) forgotten += store.expire(later, 30 * DAY, DAY, 2).forgottenIds
    expect(forgotten).toBe(2)
    expect(append({ messageId: ids[1] })).toMatchObject({ status: 'stored', seq: 5 })
    // A row inside the window ends the pass without being touched.
    append({}, later)
    store.ack(mailbox, 6, [], later)
    expect(store.expire(later, 30 * DAY, DAY, 100).forgottenIds).toBe(1)
    expect(store.readAfter(mailbox, 0, 10)).toEqual([])
  })

  it('rebuilds counters from the database after reopening', () => {
    for (let i = 0; i < 3; i++) append({ firstContact: i === 0 })
    store.ack(mailbox, 1, [], 10)
    db.close()
    db = openRelayDatabase(dir, false)
    store = new SqliteMailboxStore(db, QUOTA)
    mailbox = store.getMailbox(new Uint8Array(32).fill(9))!
    expect(store.pendingCount(mailbox)).toBe(2)
    expect(store.lastSeq(mailbox)).toBe(3)
    expect(store.readAfter(mailbox, 0, 10).map((m) => m.seq)).toEqual([2, 3])
  })

  it('migrates a schema-2 database (with the old expiry indexes) keeping its messages', () => {
    append()
    append()
    db.exec('CREATE INDEX messages_by_received_at ON messages (received_at); CREATE INDEX messages_by_acked_at ON messages (acked_at) WHERE acked_at IS NOT NULL')
    db.pragma('user_version = 2')
    db.close()
    db = openRelayDatabase(dir, false)
    expect(db.pragma('user_version', { simple: true })).toBe(3)
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'index' AND name IN ('messages_by_received_at', 'messages_by_acked_at')").get()).toEqual({ n: 0 })
    store = new SqliteMailboxStore(db, QUOTA)
    mailbox = store.getMailbox(new Uint8Array(32).fill(9))!
    expect(store.readAfter(mailbox, 0, 10).map((m) => m.seq)).toEqual([1, 2])
  })

  it('refuses a database from a newer relay', () => {
    db.pragma('user_version = 99')
    db.close()
    expect(() => openRelayDatabase(dir, false)).toThrow(SchemaTooNewError)
    db = openRelayDatabase(mkdtempSync(join(tmpdir(), 'tessera-store-')), false)
  })
})
