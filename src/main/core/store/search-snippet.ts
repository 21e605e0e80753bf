import type { SearchTerm, Token } from './search-query'
import { matchStarts } from './search-ranking'

/** Tokens of context in an excerpt, as FTS5's snippet(..., 16). */
const SNIPPET_TOKENS = 16
const ELLIPSIS = '…'

export interface Snippet {
  readonly snippet: string
  /** [start, end) offsets of matched words inside `snippet`. */
  readonly highlights: [number, number][]
}

/**
 * An excerpt of `body` around its first match, with the matched words as
 * offsets (the UI highlights them without parsing any markup). Computed
 * from the tokens already produced for ranking: FTS5's snippet() would
 * re-run the MATCH once per hit.
 */
export function makeSnippet(body: string, tokens: readonly Token[], terms: readonly SearchTerm[]): Snippet {
  const words = tokens.map((token) => token.text)
  const matched = new Set<number>()
  for (const term of terms) {
    for (const start of matchStarts(words, term)) for (let j = 0; j < term.tokens.length; j++) matched.add(start + j)
  }
  if (tokens.length === 0) return { snippet: body.slice(0, 200), highlights: [] }
  const first = matched.size === 0 ? 0 : Math.min(...matched)
  const from = Math.max(0, Math.min(first - Math.floor(SNIPPET_TOKENS / 4), tokens.length - SNIPPET_TOKENS))
  const to = Math.min(tokens.length, from + SNIPPET_TOKENS) - 1
  const textStart = from === 0 ? 0 : tokens[from]!.start
  const textEnd = to === tokens.length - 1 ? body.length : tokens[to]!.end
  const lead = textStart > 0 ? ELLIPSIS : ''
  const snippet = lead + body.slice(textStart, textEnd) + (textEnd < body.length ? ELLIPSIS : '')
  const highlights: [number, number][] = []
  for (let i = from; i <= to; i++) {
    if (!matched.has(i)) continue
    const start = tokens[i]!.start - textStart + lead.length
    const end = tokens[i]!.end - textStart + lead.length
    const previous = highlights[highlights.length - 1]
    // Adjacent words of one phrase become one highlight when only spaces separate them.
    if (previous !== undefined && matched.has(i - 1) && /^\s*$/.test(snippet.slice(previous[1], start))) previous[1] = end
    else highlights.push([start, end])
  }
  return { snippet, highlights }
}
