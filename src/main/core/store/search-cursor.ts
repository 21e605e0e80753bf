import { createHash } from 'node:crypto'
import { StoreError } from './store-error'

/**
 * Where a paged search goes on from. Opaque to callers (a string); inside:
 * - `best`: the ranked window, frozen as the key range [lo, hi] of its
 *   matches at the first page, and the rows already returned (so an edit
 *   that changes a row's rank between pages never repeats it);
 * - `older`: the matches before the window, newest first, from the key
 *   `before` (exclusive). Keys only ever decrease, so no row comes twice.
 * A key is [sent_at, seq] in one conversation (its index order) and
 * [seq, seq] over all conversations (rowid order).
 * docs/decisions/0034-search-recency-window.md
 */
export type SearchKey = readonly [number, number]

export type SearchCursorState =
  | { readonly section: 'best'; readonly lo: SearchKey; readonly hi: SearchKey; readonly shown: readonly number[]; readonly complete: boolean }
  | { readonly section: 'older'; readonly before: SearchKey }

const PREFIX = 'sc1.'
const MAX_CURSOR_CHARS = 64 * 1024
const MAX_SHOWN = 100_000

/** Binds a cursor to the search it came from: the FTS expression and the conversation, hashed. */
export function searchFingerprint(fts: string, conversationId: string | undefined): string {
  return createHash('sha256')
    .update(`${conversationId ?? ''}\u0000${fts}`)
    .digest('base64url')
    .slice(0, 16)
}

export function encodeSearchCursor(fingerprint: string, state: SearchCursorState): string {
  const body =
    state.section === 'best'
      ? { f: fingerprint, s: 'b', lo: state.lo, hi: state.hi, c: state.complete ? 1 : 0, n: deltas([...new Set(state.shown)].sort((a, b) => a - b)) }
      : { f: fingerprint, s: 'o', b: state.before }
  return PREFIX + Buffer.from(JSON.stringify(body)).toString('base64url')
}

/** The state inside a cursor; anything else (another search's cursor included) is StoreError('invalid-input'). */
export function decodeSearchCursor(cursor: unknown, fingerprint: string): SearchCursorState {
  const invalid = (): StoreError => new StoreError('invalid-input', 'Not a cursor of this search.')
  if (typeof cursor !== 'string' || !cursor.startsWith(PREFIX) || cursor.length > MAX_CURSOR_CHARS) throw invalid()
  const encoded = cursor.slice(PREFIX.length)
  if (!/^[A-Za-z0-9_-]*$/.test(encoded)) throw invalid()
  let body: unknown
  try {
    body = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'))
  } catch {
    throw invalid()
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid()
  const fields = body as Record<string, unknown>
  if (fields.f !== fingerprint) throw invalid()
  if (fields.s === 'o') {
    const before = key(fields.b)
    if (before === undefined || Object.keys(fields).length !== 3) throw invalid()
    return { section: 'older', before }
  }
  if (fields.s === 'b') {
    const lo = key(fields.lo)
    const hi = key(fields.hi)
    const shown = undeltas(fields.n)
    if (lo === undefined || hi === undefined || shown === undefined || (fields.c !== 0 && fields.c !== 1) || Object.keys(fields).length !== 6) {
      throw invalid()
    }
    if (compareKeys(lo, hi) > 0) throw invalid()
    return { section: 'best', lo, hi, shown, complete: fields.c === 1 }
  }
  throw invalid()
}

export function compareKeys(a: SearchKey, b: SearchKey): number {
  return a[0] - b[0] || a[1] - b[1]
}

function key(value: unknown): SearchKey | undefined {
  if (!Array.isArray(value) || value.length !== 2 || !value.every((n) => Number.isSafeInteger(n))) return undefined
  return [value[0] as number, value[1] as number]
}

function deltas(sorted: readonly number[]): number[] {
  return sorted.map((n, i) => (i === 0 ? n : n - sorted[i - 1]!))
}

function undeltas(value: unknown): number[] | undefined {
  if (!Array.isArray(value) || value.length > MAX_SHOWN) return undefined
  const out: number[] = []
  for (const [i, d] of value.entries()) {
    if (!Number.isSafeInteger(d) || (i > 0 && (d as number) <= 0)) return undefined
    const n = i === 0 ? (d as number) : out[i - 1]! + (d as number)
    if (!Number.isSafeInteger(n)) return undefined
    out.push(n)
  }
  return out
}
