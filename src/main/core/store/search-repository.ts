import type { ConversationId, MessageId } from '../../../shared/ids'
import type { SqliteDatabase } from './encrypted-database'
import type { SearchCursorState, SearchKey } from './search-cursor'
import { compareKeys, decodeSearchCursor, encodeSearchCursor, searchFingerprint } from './search-cursor'
import type { ParsedSearch, SearchTerm } from './search-query'
import { parseSearchQuery, tokenize, tokenizeWithOffsets } from './search-query'
import { rankBm25 } from './search-ranking'
import { makeSnippet } from './search-snippet'
import { StoreError } from './store-error'

/**
 * The first pages of a search rank the newest RANK_WINDOW matches by BM25
 * (taking the newest matches is a bounded walk of the FTS5 doclist whatever
 * the term's frequency). After them, the older matches follow newest first,
 * a keyset page at a time, until every match has been returned once
 * (docs/decisions/0034-search-recency-window.md).
 */
export const RANK_WINDOW = 1000
/** Over all conversations: how far back in rowids one page of older matches of a multi-word query walks at most. */
export const OLDER_SCAN_ROWS = 100_000
/**
 * Over all conversations, for a query matching at least one message in
 * DENSE_RATIO (judged from its newest matches): how many rowids one page of
 * older matches walks at most, asking FTS5 about each message. A rowid
 * bound on an FTS5 query seeks through the term's whole doclist (measured
 * 15-30 ms at a random depth for a word in 97% of 1M messages); the walk
 * costs ~15 us a message.
 */
export const OLDER_WALK_ROWS = 2_000
const DENSE_RATIO = 10
/** In one conversation: how many of its messages one page of older matches checks at most. */
export const OLDER_SCAN_MESSAGES = 5_000
const MAX_PAGE = 100

export interface SearchHit {
  readonly messageId: MessageId
  readonly conversationId: ConversationId
  readonly sentAt: number
  /** A short excerpt around the match; `highlights` are [start, end) offsets into it. */
  readonly snippet: string
  readonly highlights: readonly (readonly [number, number])[]
}

/**
 * `best`: the best matches among the newest RANK_WINDOW, by relevance.
 * `older`: the matches older than those, newest first.
 */
export type SearchSection = 'best' | 'older'

export interface SearchPage {
  readonly hits: readonly SearchHit[]
  /** Which kind of results this page holds (a page never mixes the two). */
  readonly section: SearchSection
  /** Whether asking again with `nextCursor` can return more. A page may be short, even empty, while this is true. */
  readonly hasMore: boolean
  /** Opaque; pass back as `cursor` with the same query and conversation for the next page. */
  readonly nextCursor?: string
}

export interface SearchOptions {
  /** Hits per page, 1-100 (default 20). */
  readonly limit?: number
  readonly conversationId?: ConversationId
  /** The previous page's `nextCursor`; absent for the first page. */
  readonly cursor?: string
}

/** Smaller windows and scan budgets, for tests. */
export interface SearchTuning {
  readonly rankWindow?: number
  readonly olderScanRows?: number
  readonly olderWalkRows?: number
  readonly olderScanMessages?: number
}

interface WindowRow {
  seq: number
  message_id: string
  conversation_id: string
  sent_at: number
  body: string
}

const SELECT = 'SELECT m.seq, m.message_id, m.conversation_id, m.sent_at, m.body'
/** One FTS5 seek for one message: an equality lookup in the doclist. */
const MATCHES_ROW = 'EXISTS (SELECT 1 FROM messages_fts WHERE messages_fts MATCH @query AND rowid = m.seq)'

/** Full-text search over message bodies (FTS5 index inside the encrypted file). */
export class SearchRepository {
  private readonly window: number
  private readonly olderScanRows: number
  private readonly olderWalkRows: number
  private readonly olderScanMessages: number
  private readonly newestStatement
  private readonly rangeStatement
  private readonly olderStatement
  private readonly olderBoundedStatement
  private readonly olderWalkStatement
  private readonly allMatchesStatement
  private readonly newestInConversationStatement
  private readonly rangeInConversationStatement
  private readonly olderInConversationStatement
  private readonly conversationCandidateStatement
  private readonly newestMatchesStatement
  private readonly seqSpanStatement

  constructor(
    private readonly db: SqliteDatabase,
    tuning: SearchTuning = {}
  ) {
    this.window = tuning.rankWindow ?? RANK_WINDOW
    this.olderScanRows = tuning.olderScanRows ?? OLDER_SCAN_ROWS
    this.olderWalkRows = tuning.olderWalkRows ?? OLDER_WALK_ROWS
    this.olderScanMessages = tuning.olderScanMessages ?? OLDER_SCAN_MESSAGES
    const join = (hits: string): string => `${SELECT} FROM (${hits}) AS hits JOIN messages AS m ON m.seq = hits.rowid`
    const fts = 'SELECT rowid FROM messages_fts WHERE messages_fts MATCH @query'
    this.newestStatement = db.prepare(join(`${fts} ORDER BY rowid DESC LIMIT @window`))
    this.rangeStatement = db.prepare(join(`${fts} AND rowid >= @lo AND rowid <= @hi`))
    this.olderStatement = db.prepare(`${join(`${fts} AND rowid < @before ORDER BY rowid DESC LIMIT @n`)} ORDER BY m.seq DESC`)
    this.olderBoundedStatement = db.prepare(
      `${join(`${fts} AND rowid < @before AND rowid >= @floor ORDER BY rowid DESC LIMIT @n`)} ORDER BY m.seq DESC`
    )
    this.olderWalkStatement = db.prepare(`${SELECT} FROM messages AS m
      WHERE m.seq < @before AND m.seq >= @floor AND m.body IS NOT NULL AND ${MATCHES_ROW} ORDER BY m.seq DESC LIMIT @n`)
    this.allMatchesStatement = db.prepare(`${join(fts)} WHERE m.conversation_id = @conversationId`)
    // One conversation: walk its messages newest first and ask FTS5 about
    // each rowid, instead of letting FTS5 enumerate every match of a common
    // word to filter them.
    const inConversation = 'm.conversation_id = @conversationId AND m.body IS NOT NULL'
    const newestFirst = 'ORDER BY m.sent_at DESC, m.seq DESC'
    this.newestInConversationStatement = db.prepare(
      `${SELECT} FROM messages AS m WHERE ${inConversation} AND ${MATCHES_ROW} ${newestFirst} LIMIT @window`
    )
    this.rangeInConversationStatement = db.prepare(`${SELECT} FROM messages AS m
      WHERE ${inConversation} AND (m.sent_at, m.seq) >= (@loAt, @loSeq) AND (m.sent_at, m.seq) <= (@hiAt, @hiSeq) AND ${MATCHES_ROW}`)
    // In index order, so the walk stops at the n-th match (no sort of all candidates first).
    this.olderInConversationStatement = db.prepare(`${SELECT} FROM messages AS m
      WHERE ${inConversation} AND (m.sent_at, m.seq) < (@beforeAt, @beforeSeq) AND (m.sent_at, m.seq) >= (@floorAt, @floorSeq)
        AND ${MATCHES_ROW} ${newestFirst} LIMIT @n`)
    this.conversationCandidateStatement = db.prepare(`SELECT sent_at, seq FROM messages
      WHERE conversation_id = @conversationId AND (sent_at, seq) < (@beforeAt, @beforeSeq)
      ORDER BY sent_at DESC, seq DESC LIMIT 1 OFFSET @skip`)
    this.newestMatchesStatement = db.prepare(`SELECT count(*) AS n, min(rowid) AS oldest
      FROM (SELECT rowid FROM messages_fts WHERE messages_fts MATCH @query ORDER BY rowid DESC LIMIT @window)`)
    // Two scalar subqueries: SQLite's O(1) min/max-by-rowid shortcut only applies to a lone min() or max().
    this.seqSpanStatement = db.prepare('SELECT (SELECT min(seq) FROM messages) AS low, (SELECT max(seq) FROM messages) AS high')
  }

  /**
   * One page of results. The first pages are the best matches (BM25) among
   * the newest RANK_WINDOW; then `section` turns to `older` and the rest
   * follow newest first. Paging with `nextCursor` to the end returns every
   * matching message exactly once; edits and deletes between pages neither
   * repeat a message nor break the cursor.
   */
  search(input: string, options: SearchOptions = {}): SearchPage {
    const parsed = parseSearchQuery(input)
    const limit = options.limit ?? 20
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
      throw new StoreError('invalid-input', `A search page is 1-${MAX_PAGE} results.`)
    }
    const conversationId = options.conversationId
    const fingerprint = searchFingerprint(parsed.fts, conversationId)
    const state: SearchCursorState | undefined = options.cursor === undefined ? undefined : decodeSearchCursor(options.cursor, fingerprint)
    if (state?.section === 'older') return this.olderPage(parsed, conversationId, fingerprint, state.before, limit)

    let window: WindowRow[]
    let complete: boolean
    let lo: SearchKey
    let hi: SearchKey
    const shown = new Set(state?.shown ?? [])
    if (state === undefined) {
      const newest = this.newestWindow(parsed.fts, conversationId)
      if (newest.rows.length === 0) return { hits: [], section: 'best', hasMore: false }
      window = newest.rows
      complete = newest.complete
      const keys = window.map((row) => keyOf(row, conversationId)).sort(compareKeys)
      lo = keys[0]!
      hi = keys[keys.length - 1]!
    } else {
      ;({ lo, hi, complete } = state)
      window = this.rangeWindow(parsed.fts, conversationId, lo, hi)
    }
    const ordered = this.rank(window, parsed, conversationId, state === undefined).filter((row) => !shown.has(row.seq))
    const page = ordered.slice(0, limit)
    // The window is used up (deletes can empty it): go straight on with the older matches.
    if (page.length === 0 && !complete) return this.olderPage(parsed, conversationId, fingerprint, lo, limit)
    let nextCursor: string | undefined
    if (ordered.length > limit) {
      for (const row of page) shown.add(row.seq)
      nextCursor = encodeSearchCursor(fingerprint, { section: 'best', lo, hi, shown: [...shown], complete })
    } else if (!complete) {
      nextCursor = encodeSearchCursor(fingerprint, { section: 'older', before: lo })
    }
    return pageOf(page, parsed.terms, 'best', nextCursor)
  }

  /** The newest matches, and whether they are all of them. */
  private newestWindow(query: string, conversationId: ConversationId | undefined): { rows: WindowRow[]; complete: boolean } {
    if (conversationId === undefined) {
      const rows = this.newestStatement.all({ query, window: this.window }) as WindowRow[]
      return { rows, complete: rows.length < this.window }
    }
    // A rare term's matches are all in its global window: filter those. A
    // common one is cheaper to check message by message in the conversation.
    if (this.isRare(query)) {
      const rows = (this.newestStatement.all({ query, window: this.window }) as WindowRow[]).filter((row) => row.conversation_id === conversationId)
      return { rows, complete: true }
    }
    const rows = this.newestInConversationStatement.all({ query, conversationId, window: this.window }) as WindowRow[]
    return { rows, complete: rows.length < this.window }
  }

  /** The matches of the first page's window again ([lo, hi] by key), as they are now. */
  private rangeWindow(query: string, conversationId: ConversationId | undefined, lo: SearchKey, hi: SearchKey): WindowRow[] {
    if (conversationId === undefined) return this.rangeStatement.all({ query, lo: lo[1], hi: hi[1] }) as WindowRow[]
    if (this.isRare(query)) {
      return this.allMatches(query, conversationId).filter((row) => {
        const key = keyOf(row, conversationId)
        return compareKeys(key, lo) >= 0 && compareKeys(key, hi) <= 0
      })
    }
    return this.rangeInConversationStatement.all({ query, conversationId, loAt: lo[0], loSeq: lo[1], hiAt: hi[0], hiSeq: hi[1] }) as WindowRow[]
  }

  /**
   * Matches older than `before`, newest first: a keyset page. Each call is
   * a bounded walk: a single word's doclist for `limit + 1` matches; a
   * phrase or several words over at most olderScanRows rowids; in one
   * conversation, at most olderScanMessages of its messages. A page that
   * hits its bound comes back short with a cursor from where it stopped.
   */
  private olderPage(
    parsed: ParsedSearch,
    conversationId: ConversationId | undefined,
    fingerprint: string,
    before: SearchKey,
    limit: number
  ): SearchPage {
    const query = parsed.fts
    let rows: WindowRow[]
    let stoppedAt: SearchKey | undefined
    if (conversationId === undefined) {
      const single = parsed.terms.length === 1 && parsed.terms[0]!.tokens.length === 1
      const newest = this.newestMatchesStatement.get({ query, window: this.window }) as { n: number; oldest: number | null }
      const span = this.seqSpanStatement.get() as { low: number | null; high: number | null }
      const dense = newest.oldest !== null && span.high !== null && newest.n * DENSE_RATIO >= span.high - newest.oldest + 1
      if (dense) {
        const floor = Math.max(span.low ?? 0, before[1] - this.olderWalkRows)
        rows = this.olderWalkStatement.all({ query, before: before[1], floor, n: limit + 1 }) as WindowRow[]
        if (span.low !== null && floor > span.low) stoppedAt = [floor, floor]
      } else if (single) {
        rows = this.olderStatement.all({ query, before: before[1], n: limit + 1 }) as WindowRow[]
      } else {
        const floor = Math.max(span.low ?? 0, before[1] - this.olderScanRows)
        rows = this.olderBoundedStatement.all({ query, before: before[1], floor, n: limit + 1 }) as WindowRow[]
        if (span.low !== null && floor > span.low) stoppedAt = [floor, floor]
      }
    } else if (this.isRare(query)) {
      rows = this.allMatches(query, conversationId)
        .filter((row) => compareKeys(keyOf(row, conversationId), before) < 0)
        .sort((a, b) => compareKeys(keyOf(b, conversationId), keyOf(a, conversationId)))
        .slice(0, limit + 1)
    } else {
      const at = { conversationId, beforeAt: before[0], beforeSeq: before[1] }
      // The scan bound: the budget-th message before `before` (an index walk), if there are that many.
      const last = this.conversationCandidateStatement.get({ ...at, skip: this.olderScanMessages - 1 }) as { sent_at: number; seq: number } | undefined
      const floor = last === undefined ? { floorAt: Number.MIN_SAFE_INTEGER, floorSeq: Number.MIN_SAFE_INTEGER } : { floorAt: last.sent_at, floorSeq: last.seq }
      rows = this.olderInConversationStatement.all({ ...at, ...floor, query, n: limit + 1 }) as WindowRow[]
      if (last !== undefined) stoppedAt = [last.sent_at, last.seq]
    }
    const page = rows.slice(0, limit)
    let next: SearchKey | undefined
    if (rows.length > limit) next = keyOf(page[page.length - 1]!, conversationId)
    else next = stoppedAt
    return pageOf(page, parsed.terms, 'older', next === undefined ? undefined : encodeSearchCursor(fingerprint, { section: 'older', before: next }))
  }

  /** The window ordered by BM25 (best first; newer first on ties). */
  private rank(window: WindowRow[], parsed: ParsedSearch, conversationId: ConversationId | undefined, newest: boolean): WindowRow[] {
    if (window.length === 0) return []
    const span = this.seqSpanStatement.get() as { low: number; high: number }
    const documents = window.map((row) => ({ seq: row.seq, tokens: tokenize(row.body) }))
    // One term over the whole history: the newest window itself tells how common it is.
    const frequencies =
      newest && parsed.terms.length === 1 && conversationId === undefined
        ? [this.frequencyFromNewest({ n: window.length, oldest: Math.min(...window.map((row) => row.seq)) }, span)]
        : parsed.terms.map((term) => this.documentFrequency(term, span))
    const scores = rankBm25(documents, parsed.terms, frequencies, span.high - span.low + 1)
    return [...window].sort((a, b) => scores.get(b.seq)! - scores.get(a.seq)! || b.seq - a.seq)
  }

  private isRare(query: string): boolean {
    return (this.newestMatchesStatement.get({ query, window: this.window }) as { n: number }).n < this.window
  }

  private allMatches(query: string, conversationId: ConversationId): WindowRow[] {
    return this.allMatchesStatement.all({ query, conversationId }) as WindowRow[]
  }

  /**
   * How many messages contain the term: exact when it has fewer than
   * RANK_WINDOW matches, otherwise extrapolated from how far back its newest
   * RANK_WINDOW matches reach (a term in every other message reaches back
   * 2 x RANK_WINDOW rows). Both are bounded doclist walks.
   */
  private documentFrequency(term: SearchTerm, span: { low: number; high: number }): number {
    return this.frequencyFromNewest(this.newestMatchesStatement.get({ query: term.fts, window: this.window }) as { n: number; oldest: number | null }, span)
  }

  private frequencyFromNewest(newest: { n: number; oldest: number | null }, span: { low: number; high: number }): number {
    if (newest.n < this.window || newest.oldest === null) return newest.n
    return Math.round((newest.n * (span.high - span.low + 1)) / (span.high - newest.oldest + 1))
  }
}

/** A row's position in the order older matches are listed: rowid overall, [sent_at, seq] in one conversation. */
function keyOf(row: WindowRow, conversationId: ConversationId | undefined): SearchKey {
  return conversationId === undefined ? [row.seq, row.seq] : [row.sent_at, row.seq]
}

function pageOf(rows: readonly WindowRow[], terms: readonly SearchTerm[], section: SearchSection, nextCursor: string | undefined): SearchPage {
  const hits = rows.map((row) => ({
    messageId: row.message_id as MessageId,
    conversationId: row.conversation_id as ConversationId,
    sentAt: row.sent_at,
    ...makeSnippet(row.body, tokenizeWithOffsets(row.body), terms)
  }))
  return nextCursor === undefined ? { hits, section, hasMore: false } : { hits, section, hasMore: true, nextCursor }
}
