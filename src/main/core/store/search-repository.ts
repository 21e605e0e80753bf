import type { ConversationId, MessageId } from '../../../shared/ids'
import type { SqliteDatabase } from './encrypted-database'
import type { SearchTerm } from './search-query'
import { parseSearchQuery, tokenize, tokenizeWithOffsets } from './search-query'
import { rankBm25 } from './search-ranking'
import { makeSnippet } from './search-snippet'
import { StoreError } from './store-error'

/**
 * Search ranks the newest RANK_WINDOW matches by BM25: taking the newest
 * matches is a bounded walk of the FTS5 doclist whatever the term's
 * frequency (docs/decisions/0034-search-recency-window.md).
 */
export const RANK_WINDOW = 1000
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

interface WindowRow {
  seq: number
  message_id: string
  conversation_id: string
  sent_at: number
  body: string
}

/** Full-text search over message bodies (FTS5 index inside the encrypted file). */
export class SearchRepository {
  private readonly windowStatement
  private readonly windowInConversationStatement
  private readonly newestMatchesStatement
  private readonly seqSpanStatement

  constructor(private readonly db: SqliteDatabase) {
    const select = 'SELECT m.seq, m.message_id, m.conversation_id, m.sent_at, m.body'
    this.windowStatement = db.prepare(`${select}
      FROM (SELECT rowid FROM messages_fts WHERE messages_fts MATCH @query ORDER BY rowid DESC LIMIT ${RANK_WINDOW}) AS hits
      JOIN messages AS m ON m.seq = hits.rowid`)
    // One conversation: walk its messages newest first and ask FTS5 about
    // each rowid (an equality seek in the doclist), instead of letting FTS5
    // enumerate every match of a common word to filter them.
    this.windowInConversationStatement = db.prepare(`${select}
      FROM messages AS m
      WHERE m.conversation_id = @conversationId AND m.body IS NOT NULL
        AND EXISTS (SELECT 1 FROM messages_fts WHERE messages_fts MATCH @query AND rowid = m.seq)
      ORDER BY m.sent_at DESC, m.seq DESC LIMIT ${RANK_WINDOW}`)
    this.newestMatchesStatement = db.prepare(`SELECT count(*) AS n, min(rowid) AS oldest
      FROM (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rowid DESC LIMIT ${RANK_WINDOW})`)
    // Two scalar subqueries: SQLite's O(1) min/max-by-rowid shortcut only applies to a lone min() or max().
    this.seqSpanStatement = db.prepare('SELECT (SELECT min(seq) FROM messages) AS low, (SELECT max(seq) FROM messages) AS high')
  }

  search(input: string, options: SearchOptions = {}): SearchPage {
    const parsed = parseSearchQuery(input)
    const limit = options.limit ?? 20
    const offset = options.offset ?? 0
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE || !Number.isInteger(offset) || offset < 0) {
      throw new StoreError('invalid-input', `A search page is 1-${MAX_PAGE} results from a non-negative offset.`)
    }
    const window =
      options.conversationId === undefined
        ? (this.windowStatement.all({ query: parsed.fts }) as WindowRow[])
        : this.windowInConversation(parsed.fts, options.conversationId)
    if (window.length === 0) return { hits: [], hasMore: false }

    const span = this.seqSpanStatement.get() as { low: number; high: number }
    const documents = window.map((row) => ({ seq: row.seq, tokens: tokenize(row.body) }))
    // One term over the whole history: the window itself tells how common it is.
    const frequencies =
      parsed.terms.length === 1 && options.conversationId === undefined
        ? [this.frequencyFromNewest({ n: window.length, oldest: Math.min(...window.map((row) => row.seq)) }, span)]
        : parsed.terms.map((term) => this.documentFrequency(term, span))
    const scores = rankBm25(documents, parsed.terms, frequencies, span.high - span.low + 1)
    const ordered = [...window].sort((a, b) => scores.get(b.seq)! - scores.get(a.seq)! || b.seq - a.seq)
    return {
      hasMore: ordered.length > offset + limit,
      hits: ordered.slice(offset, offset + limit).map((row) => ({
        messageId: row.message_id as MessageId,
        conversationId: row.conversation_id as ConversationId,
        sentAt: row.sent_at,
        ...makeSnippet(row.body, tokenizeWithOffsets(row.body), parsed.terms)
      }))
    }
  }

  /**
   * How many messages contain the term: exact when it has fewer than
   * RANK_WINDOW matches, otherwise extrapolated from how far back its newest
   * RANK_WINDOW matches reach (a term in every other message reaches back
   * 2 x RANK_WINDOW rows). Both are bounded doclist walks.
   */
  private documentFrequency(term: SearchTerm, span: { low: number; high: number }): number {
    return this.frequencyFromNewest(this.newestMatchesStatement.get(term.fts) as { n: number; oldest: number | null }, span)
  }

  private frequencyFromNewest(newest: { n: number; oldest: number | null }, span: { low: number; high: number }): number {
    if (newest.n < RANK_WINDOW || newest.oldest === null) return newest.n
    return Math.round((newest.n * (span.high - span.low + 1)) / (span.high - newest.oldest + 1))
  }

  /**
   * A rare term's matches are all in its global window: filter those. A
   * common one is cheaper to check message by message in the conversation.
   */
  private windowInConversation(query: string, conversationId: ConversationId): WindowRow[] {
    const rare = (this.newestMatchesStatement.get(query) as { n: number }).n < RANK_WINDOW
    if (rare) return (this.windowStatement.all({ query }) as WindowRow[]).filter((row) => row.conversation_id === conversationId)
    return this.windowInConversationStatement.all({ query, conversationId }) as WindowRow[]
  }
}
