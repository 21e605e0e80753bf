import type { SearchTerm } from './search-query'

/**
 * Okapi BM25 (Robertson & Zaragoza 2009; the same formula and defaults
 * k1 = 1.2, b = 0.75 as FTS5's bm25(), sqlite.org/fts5.html section 5.1.1),
 * computed here over a window of candidate rows.
 *
 * Why not FTS5's own bm25(): it counts, once per query, every row that
 * contains each term (the IDF), which for a word in most of a million
 * messages is a full doclist scan (~40-100 ms encrypted). Here the IDF comes
 * from `documentFrequency`, which the caller measures cheaply (exact for
 * rare terms, extrapolated from the rowid span of the newest matches for
 * common ones; docs/decisions/0034-search-recency-window.md).
 */
const K1 = 1.2
const B = 0.75

export interface RankDocument {
  readonly seq: number
  readonly tokens: readonly string[]
}

export function rankBm25(
  documents: readonly RankDocument[],
  terms: readonly SearchTerm[],
  documentFrequency: readonly number[],
  totalDocuments: number
): Map<number, number> {
  const averageLength = documents.reduce((sum, doc) => sum + doc.tokens.length, 0) / Math.max(1, documents.length)
  const idf = documentFrequency.map((df) => Math.max(1e-6, Math.log((totalDocuments - df + 0.5) / (df + 0.5))))
  const scores = new Map<number, number>()
  for (const doc of documents) {
    let score = 0
    terms.forEach((term, t) => {
      const tf = termFrequency(doc.tokens, term)
      if (tf === 0) return
      score += (idf[t]! * (tf * (K1 + 1))) / (tf + K1 * (1 - B + (B * doc.tokens.length) / Math.max(1, averageLength)))
    })
    scores.set(doc.seq, score)
  }
  return scores
}

/** How often the term occurs; the one-word case (most searches) without allocating. */
export function termFrequency(tokens: readonly string[], term: SearchTerm): number {
  if (term.tokens.length !== 1 || term.prefix) return matchStarts(tokens, term).length
  const wanted = term.tokens[0]
  let count = 0
  for (const token of tokens) if (token === wanted) count++
  return count
}

/** Token indexes where the term's token sequence starts (the last token as a prefix for `word*`). */
export function matchStarts(tokens: readonly string[], term: SearchTerm): number[] {
  const wanted = term.tokens
  const starts: number[] = []
  for (let i = 0; i + wanted.length <= tokens.length; i++) {
    let all = true
    for (let j = 0; j < wanted.length && all; j++) {
      const token = tokens[i + j]!
      all = j === wanted.length - 1 && term.prefix ? token.startsWith(wanted[j]!) : token === wanted[j]
    }
    if (all) starts.push(i)
  }
  return starts
}
