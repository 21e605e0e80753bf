import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AppendRequest, MailboxRecord } from '../../../src/relay/store/mailbox-store'
import { openRelayDatabase } from '../../../src/relay/store/open-database'
import { SchemaTooNewError, migrate } from '../../../src/relay/store/schema'
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
    expect(db.pragma('user_version', { simple: true })).toBe(4)
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'index' AND name IN ('messages_by_received_at', 'messages_by_acked_at')").get()).toEqual({ n: 0 })
    store = new SqliteMailboxStore(db, QUOTA)
    mailbox = store.getMailbox(new Uint8Array(32).fill(9))!
    expect(store.readAfter(mailbox, 0, 10).map((m) => m.seq)).toEqual([1, 2])
  })

  it('migrates a schema-3 database (mailbox-clustered indexes) keeping messages, acks and dedupe', () => {
    db.close()
    const oldDir = mkdtempSync(join(tmpdir(), 'tessera-store-'))
    const old = new Database(join(oldDir, 'relay.db'))
    migrate(old, 3)
    old.prepare('INSERT INTO mailboxes (id, mailbox_id, owner_key, token_hash, created_at, last_seq, acked_floor) VALUES (7, ?, ?, ?, 0, 5, 1)').run(new Uint8Array(32).fill(9), new Uint8Array(32).fill(8), new Uint8Array(32))
    const insert = old.prepare('INSERT INTO messages (mbox, seq, message_id, kind, first_contact, received_at, envelope_hash, envelope, acked_at) VALUES (7, ?, ?, 0, ?, 1000, ?, ?, ?)')
    const ids = [1, 2, 3, 4, 5].map(() => id16())
    ids.forEach((messageId, i) => insert.run(i + 1, messageId, i === 4 ? 1 : 0, new Uint8Array(32).fill(i), new Uint8Array(256).fill(i), i === 2 ? 900 : null))
    old.close()

    db = openRelayDatabase(oldDir, false)
    expect(db.pragma('user_version', { simple: true })).toBe(4)
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages' AND sql IS NOT NULL").pluck().all()
    expect(indexes).toEqual(['messages_by_id_then_mailbox'])
    store = new SqliteMailboxStore(db, QUOTA)
    mailbox = store.getMailbox(new Uint8Array(32).fill(9))!
    // seq 1 is under the floor, seq 3 was acknowledged selectively.
    expect(store.readAfter(mailbox, 0, 10).map((m) => m.seq)).toEqual([2, 4, 5])
    expect(store.pendingCount(mailbox)).toBe(3)
    expect(store.readAfter(mailbox, 3, 10)[0]).toMatchObject({ kind: 'envelope', seq: 4, messageId: ids[3], firstContact: false, envelope: new Uint8Array(256).fill(3) })
    expect(append({ messageId: ids[1] })).toMatchObject({ status: 'duplicate' })
    expect(append()).toMatchObject({ status: 'stored', seq: 6 })
  })

  it('never reuses a seq when a restarted relay deletes the newest rows of a mailbox it has not loaded yet', () => {
    for (let i = 0; i < 3; i++) append({}, 1_000)
    store.ack(mailbox, 3, [], 1_000)
    // Simulate a crash: last_seq is written lazily, so the database may still say 0.
    db.prepare('UPDATE mailboxes SET last_seq = 0').run()
    db.close()
    db = openRelayDatabase(dir, false)
    store = new SqliteMailboxStore(db, QUOTA)
    // Housekeeping runs before anyone touches the mailbox and forgets all three rows.
    expect(store.expire(1_000 + DAY + 1, 30 * DAY, DAY, 100).forgottenIds).toBe(3)
    mailbox = store.getMailbox(new Uint8Array(32).fill(9))!
    expect(append()).toMatchObject({ status: 'stored', seq: 4 })
  })

  it('keeps its queues consistent with the database after a failed group commit', () => {
    append()
    expect(() =>
      store.inOneTransaction(() => {
        store.appendMany([{ mailbox, messageId: id16(), envelope: new Uint8Array(256), envelopeHash: new Uint8Array(32), firstContact: false, receivedAt: 1_000 }])
        store.ack(mailbox, 1, [], 1_000)
        throw new Error('disk full')
      })
    ).toThrow('disk full')
    expect(store.lastSeq(mailbox)).toBe(1)
    expect(store.pendingCount(mailbox)).toBe(1)
    expect(store.readAfter(mailbox, 0, 10).map((m) => m.seq)).toEqual([1])
    expect(append()).toMatchObject({ status: 'stored', seq: 2 })
  })

  it('appends a large batch across mailboxes: duplicates (also within the batch), quota refusals and one marker', () => {
    const big = new SqliteMailboxStore(db, { mailboxQuota: 60, firstContactQuota: 5 })
    const others = [1, 2].map((n) => {
      expect(big.createMailbox(new Uint8Array(32).fill(20 + n), new Uint8Array(32).fill(8), new Uint8Array(32), 0)).toBe('created')
      return big.getMailbox(new Uint8Array(32).fill(20 + n))!
    })
    const boxes = [big.getMailbox(mailbox.mailboxId)!, ...others]
    const request = (box: MailboxRecord, messageId = id16(), firstContact = false): AppendRequest => ({ mailbox: box, messageId, envelope: new Uint8Array(256).fill(3), envelopeHash: new Uint8Array(32).fill(4), firstContact, receivedAt: 5_000 })
    const earlier = id16()
    expect(big.appendMany([request(boxes[0]!, earlier)])[0]).toMatchObject({ status: 'stored', seq: 1 })
    const repeated = id16()
    const batch = Array.from({ length: 100 }, (_, i) => request(boxes[i % 3]!))
    batch[40] = request(boxes[1]!, earlier) // a duplicate of a stored message in another mailbox: a new message there
    batch[50] = request(boxes[2]!, repeated)
    batch[71] = request(boxes[2]!, repeated) // the same id twice in one batch
    const results = big.appendMany(batch)
    expect(results[40]).toMatchObject({ status: 'stored' })
    expect(results[50]).toMatchObject({ status: 'stored' })
    expect(results[71]).toMatchObject({ status: 'duplicate', receivedAt: 5_000 })
    for (const [index, box] of boxes.entries()) {
      const stored = results.filter((result, i) => batch[i]!.mailbox === box && result.status === 'stored').map((result) => (result as { seq: number }).seq)
      const first = index === 0 ? 2 : 1
      expect(stored).toEqual(Array.from({ length: stored.length }, (_, i) => first + i))
      expect(big.readAfter(box, 0, 1_000).map((m) => m.seq)).toEqual(index === 0 ? [1, ...stored] : stored)
    }
    // Quota reached inside a batch: refusals and one marker.
    const full = big.appendMany(Array.from({ length: 40 }, () => request(boxes[0]!)))
    const pending = big.pendingCount(boxes[0]!)
    expect(full.filter((result) => result.status === 'full')).toHaveLength(40 - (60 - 35))
    expect(pending).toBe(61) // 60 messages and the marker
    expect(big.readAfter(boxes[0]!, 0, 1_000).at(-1)).toMatchObject({ kind: 'dropped', count: 15 })
    // Reopening finds exactly what the batches stored.
    db.close()
    db = openRelayDatabase(dir, false)
    const reopened = new SqliteMailboxStore(db, { mailboxQuota: 60, firstContactQuota: 5 })
    expect(reopened.pendingCount(reopened.getMailbox(mailbox.mailboxId)!)).toBe(61)
    expect(reopened.appendMany([request(reopened.getMailbox(others[1]!.mailboxId)!, repeated)])[0]).toMatchObject({ status: 'duplicate' })
  })

  it('refuses a database from a newer relay', () => {
    db.pragma('user_version = 99')
    db.close()
    expect(() => openRelayDatabase(dir, false)).toThrow(SchemaTooNewError)
    db = openRelayDatabase(mkdtempSync(join(tmpdir(), 'tessera-store-')), false)
  })
})
