import Database from 'better-sqlite3'

/** One envelope row with the id and seq the store assigned it. */
export interface EnvelopeRow {
  id: number
  mbox: number
  seq: number
  messageId: Uint8Array
  firstContact: boolean
  receivedAt: number
  envelopeHash: Uint8Array
  envelope: Uint8Array
}

/** Rows per multi-row INSERT (7 parameters each; SQLite's default limit is 32,766). */
export const ENVELOPE_CHUNK_ROWS = 32

const ROW = '(?, ?, ?, ?, 0, ?, ?, ?, ?)'

/**
 * Inserts up to ENVELOPE_CHUNK_ROWS envelopes with one statement: one
 * JS-to-SQLite call and one statement step for the lot instead of one each
 * (store micro-benchmark: ~0.7 us less per envelope, decision 0048).
 * Without OR IGNORE: a duplicate message id aborts the whole statement,
 * which then changed nothing (SQLite's statement rollback inside the open
 * transaction), and the caller falls back to row-by-row inserts.
 */
export class EnvelopeBatchInsert {
  private readonly bySize = new Map<number, Database.Statement>()

  constructor(private readonly db: Database.Database) {}

  run(rows: readonly EnvelopeRow[]): void {
    if (rows.length === 0 || rows.length > ENVELOPE_CHUNK_ROWS) throw new RangeError(`1 to ${ENVELOPE_CHUNK_ROWS} rows per insert`)
    const params: unknown[] = []
    for (const row of rows) {
      params.push(row.id, row.mbox, row.seq, row.messageId, row.firstContact ? 1 : 0, row.receivedAt, row.envelopeHash, row.envelope)
    }
    this.statement(rows.length).run(params)
  }

  private statement(size: number): Database.Statement {
    let statement = this.bySize.get(size)
    if (!statement) {
      statement = this.db.prepare(
        `INSERT INTO messages (id, mbox, seq, message_id, kind, first_contact, received_at, envelope_hash, envelope) VALUES ${Array<string>(size).fill(ROW).join(', ')}`
      )
      this.bySize.set(size, statement)
    }
    return statement
  }
}

/** True for the error a duplicate (mailbox, message id) raises. */
export function isDuplicateMessageId(error: unknown): boolean {
  return error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_UNIQUE'
}
