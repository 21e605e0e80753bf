import type Database from 'better-sqlite3'
import { DROPPED_MARKER, FIRST_CONTACT, PendingQueue } from './pending-queue'

/**
 * Rebuilds every mailbox's pending queue with one pass over the messages table
 * in id (arrival) order, which within a mailbox is seq order. A row is pending
 * unless it was acknowledged selectively (acked_at) or lies at or below its
 * mailbox's acked floor. Run when the store opens and after a failed
 * transaction; a relay with a million pending 1 KiB envelopes reads about
 * 1 GB here (decisions/0048).
 *
 * It also persists each mailbox's highest seq: the store writes
 * mailboxes.last_seq lazily (before it deletes rows, and here), so after a
 * crash the rows themselves carry the newest seqs.
 */
export function scanPendingQueues(db: Database.Database): Map<number, PendingQueue> {
  const queues = new Map<number, PendingQueue>()
  const highestSeq = new Map<number, number>()
  const rows = db
    .prepare(
      'SELECT m.id, m.mbox, m.seq, m.kind, m.first_contact, (m.acked_at IS NOT NULL OR m.seq <= b.acked_floor) FROM messages m JOIN mailboxes b ON b.id = m.mbox ORDER BY m.id'
    )
    .raw()
    .iterate() as IterableIterator<[number, number, number, number, number, number]>
  for (const [id, mbox, seq, kind, firstContact, acked] of rows) {
    if (seq > (highestSeq.get(mbox) ?? 0)) highestSeq.set(mbox, seq)
    if (acked === 1) continue
    let queue = queues.get(mbox)
    if (!queue) queues.set(mbox, (queue = new PendingQueue()))
    queue.push(seq, id, (firstContact === 1 ? FIRST_CONTACT : 0) | (kind === 1 ? DROPPED_MARKER : 0))
  }
  const persist = db.prepare('UPDATE mailboxes SET last_seq = ? WHERE id = ? AND last_seq < ?')
  db.transaction(() => {
    for (const [mbox, seq] of highestSeq) persist.run(seq, mbox, seq)
  })()
  return queues
}
