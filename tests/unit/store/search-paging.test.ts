import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { toFtsQuery } from '../../../src/main/core/store/search-query'
import type { SearchOptions, SearchPage } from '../../../src/main/core/store/search-repository'
import { SearchRepository } from '../../../src/main/core/store/search-repository'
import type { TesseraStore } from '../../../src/main/core/store/tessera-store'
import type { ConversationId } from '../../../src/shared/ids'
import { conversationId, message, openTempStore } from './store-fixture'

// A small ranked window and small scan budgets, so a few hundred messages
// exercise every path: ranked pages, older pages, short pages at a scan bound.
const TUNING = { rankWindow: 7, olderScanRows: 25, olderWalkRows: 10, olderScanMessages: 6 }

let store: TesseraStore
let search: SearchRepository
let cleanup: () => void
const work = conversationId('work')
const home = conversationId('home')
beforeEach(async () => {
  ;({ store, cleanup } = await openTempStore('search-paging'))
  store.conversations.create({ id: work, kind: 'group', createdAt: 0, members: [] })
  store.conversations.create({ id: home, kind: 'direct', createdAt: 0, members: [] })
  search = new SearchRepository(store.db, TUNING)
})
afterEach(() => cleanup())

/** A deterministic generator (mulberry32). */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** What FTS5 itself says matches (the reference: JS never decides matching). */
function expected(query: string, conversation?: ConversationId): Set<string> {
  const fts = toFtsQuery(query)
  const rows = store.db
    .prepare(`SELECT m.message_id AS id, m.conversation_id AS c FROM messages_fts JOIN messages AS m ON m.seq = messages_fts.rowid WHERE messages_fts MATCH ?`)
    .all(fts) as { id: string; c: string }[]
  return new Set(rows.filter((row) => conversation === undefined || row.c === conversation).map((row) => row.id))
}

/** Pages that stopped at a scan bound or at the end of the window, with more to come. */
let shortPages = 0

/** Pages to the end; `between` runs after every page. */
function pageAll(query: string, options: SearchOptions & { limit: number }, between?: (page: SearchPage) => void): { ids: string[]; sections: string[] } {
  const ids: string[] = []
  const sections: string[] = []
  let cursor: string | undefined
  for (let calls = 0; ; calls++) {
    expect(calls).toBeLessThan(5_000)
    const page = search.search(query, cursor === undefined ? options : { ...options, cursor })
    expect(page.hasMore).toBe(page.nextCursor !== undefined)
    expect(page.hits.length).toBeLessThanOrEqual(options.limit)
    ids.push(...page.hits.map((hit) => hit.messageId))
    sections.push(page.section)
    if (page.hasMore && page.hits.length < options.limit) shortPages++
    cursor = page.nextCursor
    if (cursor === undefined) return { ids, sections }
    between?.(page)
  }
}

function fill(count: number, seed: number): void {
  const random = prng(seed)
  const words = ['otter', 'seal', 'heron', 'kelp', 'tide', 'rock']
  store.messages.insertMany(
    Array.from({ length: count }, () =>
      message(random() < 0.5 ? work : home, {
        body: Array.from({ length: 2 + Math.floor(random() * 6) }, () => words[Math.floor(random() * words.length)]).join(' '),
        // Timestamps out of insertion order: a conversation lists by sent_at, not by seq.
        sentAt: 1_700_000_000_000 + Math.floor(random() * 1_000_000)
      })
    )
  )
}

describe('search paging past the ranked window', () => {
  it('returns every match exactly once, overall and per conversation, for words, phrases, prefixes and AND', () => {
    fill(300, 1)
    shortPages = 0
    for (const query of ['otter', 'otter seal', '"kelp tide"', 'her*', 'rock heron tide']) {
      for (const conversation of [undefined, work, home]) {
        for (const limit of [1, 4, 10]) {
          const options = conversation === undefined ? { limit } : { limit, conversationId: conversation }
          const { ids, sections } = pageAll(query, options)
          const want = expected(query, conversation)
          expect(ids.length, `${query} ${conversation} ${limit}`).toBe(want.size)
          expect(new Set(ids)).toEqual(want)
          // Best matches first, then older ones; never back.
          const firstOlder = sections.indexOf('older')
          if (firstOlder >= 0) expect(sections.slice(firstOlder).every((section) => section === 'older')).toBe(true)
          if (want.size > TUNING.rankWindow) expect(firstOlder).toBeGreaterThan(0)
        }
      }
    }
    expect(shortPages).toBeGreaterThan(0)
  })

  it('reaches every match of a sparse term (doclist walks instead of message walks)', () => {
    // 1 message in 15 has "puffin", 1 in 45 "puffin egg": too sparse for the message-by-message walk.
    store.messages.insertMany(
      Array.from({ length: 450 }, (_, i) =>
        message(i % 2 === 0 ? work : home, { body: i % 15 === 0 ? (i % 45 === 0 ? 'puffin egg found' : 'a puffin') : `egg filler ${i}` })
      )
    )
    for (const query of ['puffin', 'puffin egg', '"puffin egg"', 'puff*']) {
      for (const conversation of [undefined, work]) {
        const options = conversation === undefined ? { limit: 4 } : { limit: 4, conversationId: conversation }
        const { ids } = pageAll(query, options)
        const want = expected(query, conversation)
        expect(ids.length).toBe(want.size)
        expect(new Set(ids)).toEqual(want)
      }
    }
  })

  it('lists older matches newest first (rowid overall, sent_at in a conversation)', () => {
    fill(120, 2)
    const seqOf = new Map((store.db.prepare('SELECT message_id, seq, sent_at FROM messages').all() as { message_id: string; seq: number; sent_at: number }[]).map((r) => [r.message_id, r]))
    const older = (options: SearchOptions & { limit: number }): { seq: number; sent_at: number }[] => {
      const rows: { seq: number; sent_at: number }[] = []
      let cursor: string | undefined
      let calls = 0
      do {
        expect(calls++).toBeLessThan(1_000)
        const page = search.search('otter', cursor === undefined ? options : { ...options, cursor })
        if (page.section === 'older') rows.push(...page.hits.map((hit) => seqOf.get(hit.messageId)!))
        cursor = page.nextCursor
      } while (cursor !== undefined)
      return rows
    }
    const overall = older({ limit: 5 }).map((row) => row.seq)
    expect(overall.length).toBeGreaterThan(10)
    expect(overall).toEqual([...overall].sort((a, b) => b - a))
    const inWork = older({ limit: 5, conversationId: work })
    expect(inWork.length).toBeGreaterThan(5)
    expect(inWork).toEqual([...inWork].sort((a, b) => b.sent_at - a.sent_at || b.seq - a.seq))
  })

  it('edits, deletes and new messages between pages never repeat a message nor lose an untouched one', async () => {
    for (const conversation of [undefined, work]) {
      const originals = Array.from({ length: 60 }, (_, i) =>
        message(i % 3 === 0 ? home : work, { body: `otter ${'filler '.repeat(i % 5)}number ${i}`, sentAt: 1_700_000_000_000 + ((i * 7919) % 1000) })
      )
      store.messages.insertMany(originals)
      const random = prng(conversation === undefined ? 3 : 4)
      const removed = new Set<string>()
      const seen = new Set<string>()
      const pending: Promise<unknown>[] = []
      const options = conversation === undefined ? { limit: 3 } : { limit: 3, conversationId: conversation }
      let editedAt = 1
      const { ids } = pageAll('otter', options, (page) => {
        for (const hit of page.hits) seen.add(hit.messageId)
        const pick = (pool: string[]): string | undefined => pool[Math.floor(random() * pool.length)]
        const alive = originals.map((m) => m.id as string).filter((id) => !removed.has(id))
        const unseen = alive.filter((id) => !seen.has(id))
        const seenAlive = alive.filter((id) => seen.has(id))
        const action = Math.floor(random() * 6)
        const target = action < 3 ? pick(unseen) : pick(seenAlive)
        if (target === undefined) return
        if (action === 0) {
          store.messages.edit(target as never, 'no longer about that animal', editedAt++)
          removed.add(target)
        } else if (action === 1) {
          removed.add(target)
          pending.push(store.deleteMessage(target as never, editedAt++))
        } else if (action === 2) {
          store.messages.edit(target as never, 'otter otter otter now the best match', editedAt++)
        } else if (action === 3) {
          store.messages.edit(target as never, 'otter otter otter otter', editedAt++)
        } else if (action === 4) {
          pending.push(store.deleteMessage(target as never, editedAt++))
        } else {
          store.messages.insert(message(work, { body: 'a new otter arrives' }))
        }
      })
      await Promise.all(pending)
      expect(new Set(ids).size).toBe(ids.length)
      const inScope = originals.filter((m) => conversation === undefined || m.conversationId === conversation).map((m) => m.id as string)
      for (const id of inScope) if (!removed.has(id)) expect(ids).toContain(id)
      for (const id of ids) if (removed.has(id)) expect(seen.has(id) || !inScope.includes(id)).toBe(true)
      store.db.prepare('DELETE FROM messages').run()
    }
  })

  it('a term with all its matches in the window never turns to older matches', () => {
    store.messages.insertMany(Array.from({ length: 5 }, () => message(work, { body: 'walrus' })))
    const { ids, sections } = pageAll('walrus', { limit: 2 })
    expect(ids).toHaveLength(5)
    expect(sections).toEqual(['best', 'best', 'best'])
  })

  it('rejects malformed, tampered and foreign cursors with invalid-input', () => {
    fill(60, 5)
    const next = search.search('otter', { limit: 2 }).nextCursor!
    const older = pageAll('otter', { limit: 50 }).sections.includes('older')
    expect(older).toBe(true)
    const body = JSON.parse(Buffer.from(next.slice(4), 'base64url').toString()) as Record<string, unknown>
    const forge = (patch: Record<string, unknown>): string => `sc1.${Buffer.from(JSON.stringify({ ...body, ...patch })).toString('base64url')}`
    const bad: unknown[] = [
      '',
      'garbage',
      'sc1.',
      'sc1.!!!',
      `sc1.${Buffer.from('not json').toString('base64url')}`,
      `sc1.${Buffer.from('[1,2]').toString('base64url')}`,
      `sc2.${next.slice(4)}`,
      next.slice(0, -3),
      `${next}x`.repeat(10_000),
      forge({ s: 'x' }),
      forge({ lo: [1.5, 2] }),
      forge({ lo: [5, 5], hi: [1, 1] }),
      forge({ n: [3, 0] }),
      forge({ n: 'x' }),
      forge({ c: 2 }),
      forge({ extra: 1 }),
      forge({ f: 'someone-else' }),
      `sc1.${Buffer.from(JSON.stringify({ f: body.f, s: 'o', b: [1] })).toString('base64url')}`,
      42
    ]
    for (const cursor of bad) {
      expect(() => search.search('otter', { limit: 2, cursor: cursor as string }), String(cursor).slice(0, 40)).toThrow(
        expect.objectContaining({ code: 'invalid-input' })
      )
    }
    // A cursor belongs to its query and conversation.
    expect(() => search.search('seal', { limit: 2, cursor: next })).toThrow(expect.objectContaining({ code: 'invalid-input' }))
    expect(() => search.search('otter', { limit: 2, cursor: next, conversationId: work })).toThrow(expect.objectContaining({ code: 'invalid-input' }))
    // The same query typed differently is the same search.
    expect(search.search(' otter ', { limit: 2, cursor: next }).hits).toHaveLength(2)
  })
})
