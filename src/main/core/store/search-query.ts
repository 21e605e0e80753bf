import { StoreError } from './store-error'

const MAX_QUERY_CHARS = 256
const MAX_TERMS = 16

/** One thing the user asked for: a word, a "phrase", or a prefix (`mess*`), as index tokens. */
export interface SearchTerm {
  /** The term as an FTS5 string (quoted, so FTS5 operators are plain text). */
  readonly fts: string
  /** The term's tokens as the index sees them (see tokenize). */
  readonly tokens: readonly string[]
  /** The last token is a prefix. */
  readonly prefix: boolean
}

export interface ParsedSearch {
  readonly terms: readonly SearchTerm[]
  /** All terms must match (FTS5 implicit AND). */
  readonly fts: string
}

/**
 * Turns what a user typed into a safe FTS5 MATCH expression
 * (sqlite.org/fts5.html section 3). Supported: words (all must match),
 * "quoted phrases", and a trailing * for prefix search (`mess*`). Every term
 * is emitted as an FTS5 string, so FTS5 operators (AND, OR, NEAR, column
 * filters, ^) typed by the user are matched as plain words instead of
 * changing the query or raising a syntax error.
 */
export function parseSearchQuery(input: string): ParsedSearch {
  if (typeof input !== 'string' || input.length > MAX_QUERY_CHARS) {
    throw new StoreError('invalid-input', `A search is at most ${MAX_QUERY_CHARS} characters.`)
  }
  const terms: SearchTerm[] = []
  for (const match of input.matchAll(/"([^"]*)"?|(\S+)/g)) {
    const phrase = match[1]
    const word = match[2]
    const prefix = phrase === undefined && word !== undefined && word.endsWith('*')
    const text = phrase ?? (prefix ? word!.replace(/\*+$/, '') : word!)
    const tokens = tokenize(text)
    if (tokens.length > 0) terms.push({ fts: prefix ? `${quote(text)}*` : quote(text), tokens, prefix })
  }
  if (terms.length === 0) throw new StoreError('invalid-input', 'A search needs at least one letter or digit.')
  if (terms.length > MAX_TERMS) throw new StoreError('invalid-input', `A search has at most ${MAX_TERMS} terms.`)
  return { terms, fts: terms.map((term) => term.fts).join(' ') }
}

/** The FTS5 MATCH expression alone. */
export function toFtsQuery(input: string): string {
  return parseSearchQuery(input).fts
}

/** A token of a message body and where it is in the original text. */
export interface Token {
  readonly text: string
  readonly start: number
  readonly end: number
}

/**
 * Splits text into tokens the way the index's `unicode61 remove_diacritics 2`
 * tokenizer does (sqlite.org/fts5.html section 4.3.1): runs of letters and
 * digits (with their combining marks) form tokens, everything else
 * separates; case and diacritics are folded. Used for ranking and snippets
 * only: which rows match is always decided by FTS5.
 */
export function tokenizeWithOffsets(text: string): Token[] {
  const tokens: Token[] = []
  if (/[^\t\n\r\x20-\x7e]/.test(text)) {
    for (const match of text.matchAll(/[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu)) {
      tokens.push({ text: fold(match[0]), start: match.index, end: match.index + match[0].length })
    }
    return tokens
  }
  const lower = text.toLowerCase()
  let start = -1
  for (let i = 0; i <= lower.length; i++) {
    const code = i < lower.length ? lower.charCodeAt(i) : 0
    const inToken = (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39)
    if (inToken && start < 0) start = i
    else if (!inToken && start >= 0) {
      tokens.push({ text: lower.slice(start, i), start, end: i })
      start = -1
    }
  }
  return tokens
}

/** The tokens alone (ranking). Plain ASCII text takes a hand-written fast path with the same result. */
export function tokenize(text: string): string[] {
  const lower = text.toLowerCase()
  const tokens: string[] = []
  let start = -1
  for (let i = 0; i < lower.length; i++) {
    const code = lower.charCodeAt(i)
    if (code > 0x7e) return tokenizeUnicode(text)
    const inToken = (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39)
    if (inToken && start < 0) start = i
    else if (!inToken && start >= 0) {
      tokens.push(lower.slice(start, i))
      start = -1
    }
  }
  if (start >= 0) tokens.push(lower.slice(start))
  return tokens
}

/** The general path of tokenize(): same tokens as tokenizeWithOffsets, without offset objects. */
function tokenizeUnicode(text: string): string[] {
  const tokens: string[] = []
  for (const piece of text.split(/[^\p{L}\p{N}\p{M}]+/u)) {
    const word = piece.replace(/^\p{M}+/u, '')
    if (word.length > 0) tokens.push(fold(word))
  }
  return tokens
}

/**
 * Memo of folded non-ASCII words: NFKD normalisation dominates tokenizing
 * (measured ~40 ms for 2,000 non-ASCII messages on this machine), and words repeat. A pure
 * function's cache, bounded by clearing, so no state leaks between callers.
 */
const FOLD_CACHE_LIMIT = 20_000
const foldCache = new Map<string, string>()

function fold(word: string): string {
  // ASCII needs no Unicode normalisation (the common case, and much faster).
  if (/^[\x20-\x7e]*$/.test(word)) return word.toLowerCase()
  let folded = foldCache.get(word)
  if (folded === undefined) {
    folded = word.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase()
    if (foldCache.size >= FOLD_CACHE_LIMIT) foldCache.clear()
    foldCache.set(word, folded)
  }
  return folded
}

/** An FTS5 string: double quotes inside are doubled (section 3.1). */
function quote(text: string): string {
  return `"${text.replaceAll('"', '""')}"`
}
