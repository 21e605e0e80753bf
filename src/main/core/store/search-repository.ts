import type { ConversationId, MessageId } from '../../../shared/ids'
import type { SqliteDatabase } from './encrypted-database'
import { toFtsQuery } from './search-query'
import { StoreError } from './store-error'

/** Highlight markers from the Unicode private-use area: they never occur in tokenised text we match. */
const MARK_OPEN = '\uE000'
const MARK_CLOSE = '\uE001'

/**
 * Ranking looks at the newest RANK_WINDOW matches only: bm25 over every hit
 * of a common word in a million messages costs 35-60 ms, over the newest
 * 2,000 a few ms (docs/decisions/0034-search-recency-window.md).
 */
export const RANK_WINDOW = 2000
const MAX_PAGE = 100

export interface SearchHit {
  readonly messageId: MessageId
  readonly conversationId: ConversationId
  readonly sentAt: number
  /** A short excerpt around the match; `highlights` are [start, end) offsets into it. */
  readonly snippet: string
  readonly highlights: readonly (readonly [number, number])[]
}

export interface SearchPage {
  readonly hits: readonly SearchHit[]
  /** Whether a further page exists within the ranked window. */
  readonly hasMore: boolean
}

export interface SearchOptions {
  readonly limit?: number
  readonly offset?: number
  readonly conversationId?: ConversationId
}

/** Full-text search over message bodies (FTS5 index inside the encrypted file). */
export class SearchRepository {
  private readonly rankedStatement
  private readonly rankedInConversationStatement

  constructor(private readonly db: SqliteDatabase) {
    const ranked = (filter: string): string => `
      SELECT m.message_id, m.conversation_id, m.sent_at, m.seq
      FROM (SELECT rowid, rank FROM messages_fts WHERE messages_fts MATCH @query ORDER BY rowid DESC LIMIT ${RANK_WINDOW}) AS hits
      JOIN messages AS m ON m.seq = hits.rowid
      ${filter}
      ORDER BY hits.rank, m.seq DESC
      LIMIT @limit OFFSET @offset`
    this.rankedStatement = db.prepare(ranked(''))
    this.rankedInConversationStatement = db.prepare(`
      SELECT m.message_id, m.conversation_id, m.sent_at, m.seq
      FROM (SELECT rowid, rank FROM messages_fts
            WHERE messages_fts MATCH @query AND rowid IN (SELECT seq FROM messages WHERE conversation_id = @conversationId)
            ORDER BY rowid DESC LIMIT ${RANK_WINDOW}) AS hits
      JOIN messages AS m ON m.seq = hits.rowid
      ORDER BY hits.rank, m.seq DESC
      LIMIT @limit OFFSET @offset`)
  }

  search(input: string, options: SearchOptions = {}): SearchPage {
    const query = toFtsQuery(input)
    const limit = options.limit ?? 20
    const offset = options.offset ?? 0
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE || !Number.isInteger(offset) || offset < 0) {
      throw new StoreError('invalid-input', `A search page is 1-${MAX_PAGE} results from a non-negative offset.`)
    }
    const params = { query, limit: limit + 1, offset, conversationId: options.conversationId }
    const rows = (options.conversationId === undefined
      ? this.rankedStatement.all({ query, limit: limit + 1, offset })
      : this.rankedInConversationStatement.all(params)) as { message_id: string; conversation_id: string; sent_at: number; seq: number }[]
    const page = rows.slice(0, limit)
    const snippets = this.snippets(query, page.map((row) => row.seq))
    return {
      hasMore: rows.length > limit,
      hits: page.map((row) => ({
        messageId: row.message_id as MessageId,
        conversationId: row.conversation_id as ConversationId,
        sentAt: row.sent_at,
        ...parseSnippet(snippets.get(row.seq) ?? '')
      }))
    }
  }

  /** snippet() only works inside a MATCH query, so the page's excerpts come from a second, rowid-bounded one. */
  private snippets(query: string, seqs: readonly number[]): Map<number, string> {
    if (seqs.length === 0) return new Map()
    const rows = this.db
      .prepare(`SELECT rowid, snippet(messages_fts, 0, '${MARK_OPEN}', '${MARK_CLOSE}', '…', 16) AS excerpt
                FROM messages_fts WHERE messages_fts MATCH ? AND rowid IN (${seqs.map(() => '?').join(',')})`)
      .all(query, ...seqs) as { rowid: number; excerpt: string }[]
    return new Map(rows.map((row) => [row.rowid, row.excerpt]))
  }
}

/** Strips the markers out, keeping where they were as offsets, so the UI never parses markup. */
export function parseSnippet(marked: string): { snippet: string; highlights: [number, number][] } {
  let text = ''
  const highlights: [number, number][] = []
  let start = -1
  for (const char of marked) {
    if (char === MARK_OPEN) start = text.length
    else if (char === MARK_CLOSE && start >= 0) {
      highlights.push([start, text.length])
      start = -1
    } else text += char
  }
  return { snippet: text, highlights }
}
