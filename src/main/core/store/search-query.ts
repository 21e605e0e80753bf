import { StoreError } from './store-error'

const MAX_QUERY_CHARS = 256
const MAX_TERMS = 16

/**
 * Turns what a user typed into a safe FTS5 MATCH expression
 * (sqlite.org/fts5.html section 3). Supported: words (all must match),
 * "quoted phrases", and a trailing * for prefix search (`mess*`). Every term
 * is emitted as an FTS5 string, so FTS5 operators (AND, OR, NEAR, column
 * filters, ^) typed by the user are matched as plain words instead of
 * changing the query or raising a syntax error.
 */
export function toFtsQuery(input: string): string {
  if (typeof input !== 'string' || input.length > MAX_QUERY_CHARS) {
    throw new StoreError('invalid-input', `A search is at most ${MAX_QUERY_CHARS} characters.`)
  }
  const terms: string[] = []
  const pattern = /"([^"]*)"?|(\S+)/g
  for (const match of input.matchAll(pattern)) {
    const phrase = match[1]
    const word = match[2]
    if (phrase !== undefined) {
      if (hasToken(phrase)) terms.push(quote(phrase))
    } else if (word !== undefined) {
      const prefix = word.endsWith('*')
      const text = prefix ? word.replace(/\*+$/, '') : word
      if (hasToken(text)) terms.push(prefix ? `${quote(text)}*` : quote(text))
    }
  }
  if (terms.length === 0) throw new StoreError('invalid-input', 'A search needs at least one letter or digit.')
  if (terms.length > MAX_TERMS) throw new StoreError('invalid-input', `A search has at most ${MAX_TERMS} terms.`)
  return terms.join(' ')
}

function hasToken(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text)
}

/** An FTS5 string: double quotes inside are doubled (section 3.1). */
function quote(text: string): string {
  return `"${text.replaceAll('"', '""')}"`
}
