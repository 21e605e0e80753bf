import type { SqliteDatabase } from './encrypted-database'
import { StoreError } from './store-error'

export type ReportStatus = 'draft' | 'sent' | 'failed'

export interface Report {
  readonly reportId: string
  readonly messageId: string | null
  readonly conversationId: string | null
  readonly reason: string
  /** The franking opening (plaintext, franking key, relay stamp), encoded by the safety layer. */
  readonly evidence: Uint8Array | null
  readonly status: ReportStatus
  readonly createdAt: number
  readonly sentAt: number | null
}

/** Abuse reports the user filed, with the evidence that was (or will be) revealed. */
export class ReportRepository {
  constructor(private readonly db: SqliteDatabase) {}

  create(report: Omit<Report, 'status' | 'sentAt'>): void {
    if (report.reason.length === 0 || report.reason.length > 2000) throw new StoreError('invalid-input', 'A report reason is 1-2000 characters.')
    this.db
      .prepare(`INSERT INTO reports (report_id, message_id, conversation_id, reason, evidence, status, created_at) VALUES (?, ?, ?, ?, ?, 'draft', ?)`)
      .run(report.reportId, report.messageId, report.conversationId, report.reason, report.evidence, report.createdAt)
  }

  setStatus(reportId: string, status: ReportStatus, at: number): void {
    const changes = this.db
      .prepare('UPDATE reports SET status = ?, sent_at = CASE WHEN ? = \'sent\' THEN ? ELSE sent_at END WHERE report_id = ?')
      .run(status, status, at, reportId).changes
    if (changes === 0) throw new StoreError('not-found', `No report with id ${reportId}.`)
  }

  list(): Report[] {
    return (this.db.prepare('SELECT * FROM reports ORDER BY created_at DESC').all() as {
      report_id: string
      message_id: string | null
      conversation_id: string | null
      reason: string
      evidence: Buffer | null
      status: ReportStatus
      created_at: number
      sent_at: number | null
    }[]).map((row) => ({
      reportId: row.report_id,
      messageId: row.message_id,
      conversationId: row.conversation_id,
      reason: row.reason,
      evidence: row.evidence === null ? null : new Uint8Array(row.evidence),
      status: row.status,
      createdAt: row.created_at,
      sentAt: row.sent_at
    }))
  }
}
