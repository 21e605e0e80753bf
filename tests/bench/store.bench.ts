// Benchmark for the encrypted store (issue 4): `npm run bench:store`.
// 1,000,000 messages of ~200 bytes in 1,000 conversations, written through
// the same repository code into (a) the SQLCipher store and (b) plain
// better-sqlite3 with the same schema, pragmas and batches, in this run.
// Prints figures and the encrypted/plain ratios; the LAST line is one JSON
// object. Targets: insert >= 50% of plain; latest-50 p95 <= 1 ms; FTS rare
// and common p95 <= 20 ms (first page); open-to-first-query <= 50 ms. Also
// measured, without a target: a page of older matches (past the ranked
// window) at random depths, and paging the common term to its end, which
// must return every match once (docs/decisions/0034-search-recency-window.md).
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import PlainDatabase from 'better-sqlite3'
import { loadSodium } from '../../src/main/core/crypto/sodium'
import { ConversationRepository } from '../../src/main/core/store/conversation-repository'
import type { SqliteDatabase } from '../../src/main/core/store/encrypted-database'
import { CACHE_SIZE_KIB } from '../../src/main/core/store/encrypted-database'
import { MessageRepository } from '../../src/main/core/store/message-repository'
import type { NewMessage } from '../../src/main/core/store/message-types'
import { migrateDatabase } from '../../src/main/core/store/migrate'
import { encodeSearchCursor, searchFingerprint } from '../../src/main/core/store/search-cursor'
import { toFtsQuery } from '../../src/main/core/store/search-query'
import { SearchRepository } from '../../src/main/core/store/search-repository'
import { TesseraStore } from '../../src/main/core/store/tessera-store'
import type { ConversationId } from '../../src/shared/ids'
import { asConversationId, asMessageId } from '../../src/shared/ids'

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1_000_000)
const CONVERSATIONS = 1_000
const BATCH = 10_000
const RARE_TERMS = 20
const RARE_COPIES = 3
const QUERIES = 200

// Deterministic data: a xorshift PRNG and a Zipf-like vocabulary, so the
// common term really is common and both databases get identical rows.
let seed = 0x9e3779b9
function random(): number {
  seed ^= seed << 13
  seed ^= seed >>> 17
  seed ^= seed << 5
  return (seed >>> 0) / 0x1_0000_0000
}
const VOCABULARY = Array.from({ length: 5_000 }, (_, i) => word(i))
function word(i: number): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz'
  let s = ''
  let n = i * 7919 + 13
  for (let k = 0; k < 3 + (i % 6); k++) {
    s += letters[n % 26]
    n = Math.floor(n / 26) + i + k
  }
  return s
}
const weights = VOCABULARY.map((_, i) => 1 / (i + 1))
const cumulative: number[] = []
weights.reduce((sum, w, i) => (cumulative[i] = sum + w), 0)
const total = cumulative[cumulative.length - 1]!
function sampleWord(): string {
  const target = random() * total
  let lo = 0
  let hi = cumulative.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (cumulative[mid]! < target) lo = mid + 1
    else hi = mid
  }
  return VOCABULARY[lo]!
}
const COMMON_TERM = VOCABULARY[0]!
const rareTerm = (i: number): string => `zqrare${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`
const rarePositions = new Map<number, string>()
for (let t = 0; t < RARE_TERMS; t++) for (let c = 0; c < RARE_COPIES; c++) rarePositions.set(Math.floor(random() * MESSAGES), rareTerm(t))

function body(index: number): string {
  const words: string[] = []
  let length = 0
  const rare = rarePositions.get(index)
  if (rare !== undefined) words.push(rare)
  while (length < 190) {
    const next = sampleWord()
    words.push(next)
    length += next.length + 1
  }
  return words.join(' ')
}

const conversationIds: ConversationId[] = Array.from({ length: CONVERSATIONS }, (_, i) => asConversationId(`conv-${i}`))

function batch(start: number, size: number): NewMessage[] {
  const out: NewMessage[] = []
  for (let i = start; i < start + size; i++) {
    const sentAt = 1_700_000_000_000 + i * 1000
    out.push({
      id: asMessageId(`m${i}`),
      conversationId: conversationIds[i % CONVERSATIONS]!,
      senderId: i % 2 === 0 ? 'me' : 'peer',
      direction: i % 2 === 0 ? 'outgoing' : 'incoming',
      body: body(i),
      sentAt,
      receivedAt: sentAt,
      status: i % 2 === 0 ? 'delivered' : 'received'
    })
  }
  return out
}

const percentile = (samples: number[], p: number): number => {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}
const ms = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6
const round = (n: number, digits = 3): number => Number(n.toFixed(digits))
const dirBytes = (dir: string): number => readdirSync(dir, { recursive: true, encoding: 'utf8' }).reduce((sum, name) => sum + (statSync(join(dir, name)).isFile() ? statSync(join(dir, name)).size : 0), 0)

interface Figures {
  insertRowsPerSecond: number
  latest50P50Ms: number
  latest50P95Ms: number
  ftsRareP50Ms: number
  ftsRareP95Ms: number
  ftsCommonP50Ms: number
  ftsCommonP95Ms: number
  commonTermMatches: number
  olderCommonP95Ms: number
  olderTwoWordsP95Ms: number
  olderInConversationP95Ms: number
  fullWalkMs: number
  fullWalkPages: number
  fullWalkHits: number
  bytesOnDisk: number
}

function fill(db: SqliteDatabase, label: string): number {
  const conversations = new ConversationRepository(db)
  db.transaction(() => conversationIds.forEach((id) => conversations.create({ id, kind: 'direct', createdAt: 0, members: [{ memberId: 'peer' }] })))()
  const messages = new MessageRepository(db)
  seed = 0x12345678 // identical bodies in both databases
  let busyMs = 0
  for (let start = 0; start < MESSAGES; start += BATCH) {
    const rows = batch(start, Math.min(BATCH, MESSAGES - start))
    const t = process.hrtime.bigint()
    messages.insertMany(rows)
    busyMs += ms(t)
    if ((start / BATCH) % 20 === 0) console.log(`  ${label}: ${start + rows.length} rows, ${Math.round(((start + rows.length) / busyMs) * 1000)} rows/s`)
  }
  return (MESSAGES / busyMs) * 1000
}

function measureQueries(db: SqliteDatabase): Omit<Figures, 'insertRowsPerSecond' | 'bytesOnDisk'> {
  const messages = new MessageRepository(db)
  const search = new SearchRepository(db)
  const latest: number[] = []
  for (let q = 0; q < QUERIES * 5; q++) {
    const t = process.hrtime.bigint()
    messages.page(conversationIds[Math.floor(random() * CONVERSATIONS)]!, 50)
    latest.push(ms(t))
  }
  const rare: number[] = []
  for (let q = 0; q < QUERIES; q++) {
    const t = process.hrtime.bigint()
    search.search(rareTerm(q % RARE_TERMS), { limit: 20 })
    rare.push(ms(t))
  }
  const common: number[] = []
  for (let q = 0; q < QUERIES / 2; q++) {
    const t = process.hrtime.bigint()
    search.search(COMMON_TERM, { limit: 20 })
    common.push(ms(t))
  }
  const commonTermMatches = db.prepare('SELECT count(*) FROM messages_fts WHERE messages_fts MATCH ?').pluck().get(`"${COMMON_TERM}"`) as number

  // A page of older matches from a random depth: the cursor a caller would
  // hold after paging that far (cursors are opaque to callers, not here).
  const older = (query: string, conversationId?: ConversationId): number[] => {
    const fingerprint = searchFingerprint(toFtsQuery(query), conversationId)
    const samples: number[] = []
    for (let q = 0; q < QUERIES / 2; q++) {
      const seq = 1 + Math.floor(random() * MESSAGES)
      const before = conversationId === undefined ? ([seq, seq] as const) : ([1_700_000_000_000 + seq * 1000, seq] as const)
      const cursor = encodeSearchCursor(fingerprint, { section: 'older', before })
      const t = process.hrtime.bigint()
      search.search(query, { limit: 20, cursor, ...(conversationId === undefined ? {} : { conversationId }) })
      samples.push(ms(t))
    }
    return samples
  }
  const olderCommon = older(COMMON_TERM)
  const olderTwoWords = older(`${COMMON_TERM} ${VOCABULARY[3]!}`)
  const olderInConversation = older(COMMON_TERM, conversationIds[7]!)

  // Every match of the common term, 100 a page, to the end.
  const walkStart = process.hrtime.bigint()
  let fullWalkPages = 0
  let fullWalkHits = 0
  let cursor: string | undefined
  do {
    const page = search.search(COMMON_TERM, { limit: 100, ...(cursor === undefined ? {} : { cursor }) })
    fullWalkPages++
    fullWalkHits += page.hits.length
    cursor = page.nextCursor
  } while (cursor !== undefined)
  const fullWalkMs = ms(walkStart)
  if (fullWalkHits !== commonTermMatches) throw new Error(`paging "${COMMON_TERM}" to the end returned ${fullWalkHits} of ${commonTermMatches} matches`)
  return {
    latest50P50Ms: round(percentile(latest, 50)),
    latest50P95Ms: round(percentile(latest, 95)),
    ftsRareP50Ms: round(percentile(rare, 50)),
    ftsRareP95Ms: round(percentile(rare, 95)),
    ftsCommonP50Ms: round(percentile(common, 50)),
    ftsCommonP95Ms: round(percentile(common, 95)),
    commonTermMatches,
    olderCommonP95Ms: round(percentile(olderCommon, 95)),
    olderTwoWordsP95Ms: round(percentile(olderTwoWords, 95)),
    olderInConversationP95Ms: round(percentile(olderInConversation, 95)),
    fullWalkMs: Math.round(fullWalkMs),
    fullWalkPages,
    fullWalkHits
  }
}

const keyForKeep = new Uint8Array(randomBytes(32))

async function main(): Promise<void> {
  const sodium = await loadSodium()
  const root = mkdtempSync(join(tmpdir(), 'tessera-bench-store-'))
  console.log(`bench:store ${MESSAGES} messages, ${CONVERSATIONS} conversations, batches of ${BATCH}; ${cpus().length} CPUs, load ${loadavg().map((n) => n.toFixed(2)).join(' ')}`)
  try {
    // Plain reference: same schema (migrations), same pragmas, same repository code.
    const plainDir = join(root, 'plain')
    const plainDbPath = join(plainDir, 'plain.db')
    rmSync(plainDir, { recursive: true, force: true })
    await import('node:fs').then((fs) => fs.mkdirSync(plainDir, { recursive: true }))
    const plain = new PlainDatabase(plainDbPath) as unknown as SqliteDatabase
    for (const pragma of ['journal_mode=WAL', 'synchronous=FULL', 'foreign_keys=ON', 'temp_store=MEMORY', `cache_size=${CACHE_SIZE_KIB}`]) plain.pragma(pragma)
    migrateDatabase(plain)
    const plainInsert = fill(plain, 'plain')
    const plainQueries = measureQueries(plain)
    plain.pragma('wal_checkpoint(TRUNCATE)')
    plain.close()
    const plainFigures: Figures = { insertRowsPerSecond: Math.round(plainInsert), ...plainQueries, bytesOnDisk: dirBytes(plainDir) }

    const key = keyForKeep
    const encDir = join(root, 'encrypted')
    const store = await TesseraStore.open({ dataDir: encDir, databaseKey: key, sodium })
    const encInsert = fill(store.db, 'sqlcipher')
    const encQueries = measureQueries(store.db)
    store.db.pragma('wal_checkpoint(TRUNCATE)')
    store.close()
    const encFigures: Figures = { insertRowsPerSecond: Math.round(encInsert), ...encQueries, bytesOnDisk: dirBytes(encDir) }

    // Open-to-first-query: open the encrypted store (raw key, schema check,
    // orphan sweep) and read the latest 50 of one conversation.
    const opens: number[] = []
    for (let i = 0; i < 20; i++) {
      const t = process.hrtime.bigint()
      const reopened = await TesseraStore.open({ dataDir: encDir, databaseKey: key, sodium })
      reopened.messages.page(conversationIds[i]!, 50)
      opens.push(ms(t))
      reopened.close()
    }
    const openFirst = round(opens[0]!)
    const openP50 = round(percentile(opens, 50))
    const openP95 = round(percentile(opens, 95))

    const ratio = round(encFigures.insertRowsPerSecond / plainFigures.insertRowsPerSecond)
    console.log('')
    console.log('figure                      sqlcipher        plain   ratio   target')
    const row = (name: string, enc: number, pl: number, target: string): void =>
      console.log(`${name.padEnd(26)} ${String(enc).padStart(10)} ${String(pl).padStart(12)} ${(enc / pl).toFixed(2).padStart(7)}   ${target}`)
    row('insert rows/s', encFigures.insertRowsPerSecond, plainFigures.insertRowsPerSecond, '>= 0.50 x plain')
    row('latest 50 p50 ms', encFigures.latest50P50Ms, plainFigures.latest50P50Ms, '-')
    row('latest 50 p95 ms', encFigures.latest50P95Ms, plainFigures.latest50P95Ms, '<= 1 ms')
    row('FTS rare p50 ms', encFigures.ftsRareP50Ms, plainFigures.ftsRareP50Ms, '-')
    row('FTS rare p95 ms', encFigures.ftsRareP95Ms, plainFigures.ftsRareP95Ms, '<= 20 ms')
    row('FTS common p50 ms', encFigures.ftsCommonP50Ms, plainFigures.ftsCommonP50Ms, '-')
    row('FTS common p95 ms', encFigures.ftsCommonP95Ms, plainFigures.ftsCommonP95Ms, '<= 20 ms')
    row('older page p95 ms', encFigures.olderCommonP95Ms, plainFigures.olderCommonP95Ms, '-')
    row('older 2 words p95 ms', encFigures.olderTwoWordsP95Ms, plainFigures.olderTwoWordsP95Ms, '-')
    row('older in conv p95 ms', encFigures.olderInConversationP95Ms, plainFigures.olderInConversationP95Ms, '-')
    row('all common pages ms', encFigures.fullWalkMs, plainFigures.fullWalkMs, '-')
    row('bytes on disk', encFigures.bytesOnDisk, plainFigures.bytesOnDisk, '-')
    console.log(`open-to-first-query: first ${openFirst} ms, p50 ${openP50} ms, p95 of 20 ${openP95} ms (target <= 50 ms)`)
    console.log(`paging "${COMMON_TERM}" to the end: ${encFigures.fullWalkHits} hits in ${encFigures.fullWalkPages} pages of 100, every match once`)
    console.log(`common term "${COMMON_TERM}" matches ${encFigures.commonTermMatches} messages; load after run ${loadavg().map((n) => n.toFixed(2)).join(' ')}`)
    console.log(
      JSON.stringify({
        bench: 'store',
        messages: MESSAGES,
        conversations: CONVERSATIONS,
        sqlcipher: encFigures,
        plain: plainFigures,
        insertRatio: ratio,
        openToFirstQueryMs: { first: openFirst, p50: openP50, p95: openP95 },
        targetsMet: {
          insertRatio: ratio >= 0.5,
          latest50: encFigures.latest50P95Ms <= 1,
          ftsRare: encFigures.ftsRareP95Ms <= 20,
          ftsCommon: encFigures.ftsCommonP95Ms <= 20,
          openToFirstQuery: openP95 <= 50
        },
        loadavg: loadavg().map((n) => round(n, 2))
      })
    )
  } finally {
    if (process.env.BENCH_KEEP === '1') console.error(`kept ${root} (key ${Buffer.from(keyForKeep).toString('hex')})`)
    else rmSync(root, { recursive: true, force: true })
  }
}

await main()
