import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { SearchPage } from '../../../src/main/core/store/search-repository'
import { RANK_WINDOW } from '../../../src/main/core/store/search-repository'
import { toFtsQuery } from '../../../src/main/core/store/search-query'
import type { TesseraStore } from '../../../src/main/core/store/tessera-store'
import { conversationId, message, openTempStore } from './store-fixture'

let store: TesseraStore
let cleanup: () => void
const work = conversationId('work')
const home = conversationId('home')
beforeEach(async () => {
  ;({ store, cleanup } = await openTempStore('search'))
  store.conversations.create({ id: work, kind: 'group', createdAt: 0, members: [] })
  store.conversations.create({ id: home, kind: 'direct', createdAt: 0, members: [] })
})
afterEach(() => cleanup())

const ids = (query: string, options = {}) => store.search.search(query, options).hits.map((hit) => hit.messageId)

describe('toFtsQuery', () => {
  it('quotes every term so FTS5 syntax typed by a user is just text', () => {
    expect(toFtsQuery('hello world')).toBe('"hello" "world"')
    expect(toFtsQuery('mess*')).toBe('"mess"*')
    expect(toFtsQuery('"quarterly report" NEAR(x')).toBe('"quarterly report" "NEAR(x"')
    expect(toFtsQuery('say "hi')).toBe('"say" "hi"')
    expect(toFtsQuery('a"b')).toBe('"a""b"')
  })

  it('rejects empty, punctuation-only and oversized queries with invalid-input', () => {
    for (const bad of ['', '   ', '***', '""', 'x'.repeat(257), Array.from({ length: 17 }, (_, i) => `w${i}`).join(' ')]) {
      expect(() => toFtsQuery(bad)).toThrow(expect.objectContaining({ code: 'invalid-input' }))
    }
  })
})

describe('SearchRepository', () => {
  it('finds words, prefixes and phrases, with conversation and a highlighted snippet', () => {
    const a = message(work, { body: 'The quarterly report is ready for review' })
    const b = message(home, { body: 'Report the leaking tap to the landlord' })
    const c = message(work, { body: 'ready, report quarterly later' })
    store.messages.insertMany([a, b, c])
    expect(new Set(ids('report'))).toEqual(new Set([a.id, b.id, c.id]))
    expect(ids('"quarterly report"')).toEqual([a.id])
    expect(new Set(ids('quart*'))).toEqual(new Set([a.id, c.id]))
    expect(ids('landlord tap')).toEqual([b.id])
    expect(ids('report', { conversationId: home })).toEqual([b.id])
    const hit = store.search.search('leaking').hits[0]!
    expect(hit.conversationId).toBe(home)
    const [start, end] = hit.highlights[0]!
    expect(hit.snippet.slice(start, end)).toBe('leaking')
    expect(hit.snippet).not.toMatch(/[\uE000\uE001]/)
  })

  it('ranks the closer match first (bm25) and pages without repeats', () => {
    const weak = message(work, { body: 'walrus and many many other words in this long message about nothing at all really' })
    const strong = message(work, { body: 'walrus walrus' })
    store.messages.insertMany([weak, strong])
    expect(ids('walrus')).toEqual([strong.id, weak.id])
    const many = Array.from({ length: 45 }, () => message(home, { body: 'narwhal sighting' }))
    store.messages.insertMany(many)
    const seen: string[] = []
    let cursor: string | undefined
    do {
      const page: SearchPage = store.search.search('narwhal', { limit: 20, ...(cursor === undefined ? {} : { cursor }) })
      expect(page.section).toBe('best')
      seen.push(...page.hits.map((hit) => hit.messageId))
      cursor = page.nextCursor
      expect(page.hasMore).toBe(cursor !== undefined)
    } while (cursor !== undefined)
    expect(new Set(seen)).toEqual(new Set(many.map((m) => m.id)))
    expect(seen).toHaveLength(45)
  })

  it('follows edits and deletes', async () => {
    const m = message(work, { body: 'meet at the lighthouse' })
    store.messages.insert(m)
    store.messages.edit(m.id, 'meet at the harbour', 1)
    expect(ids('lighthouse')).toEqual([])
    expect(ids('harbour')).toEqual([m.id])
    await store.deleteMessage(m.id, 2)
    expect(ids('harbour')).toEqual([])
  })

  it('matches accents loosely (unicode61 remove_diacritics) and rejects bad paging', () => {
    const m = message(work, { body: 'Crème brûlée à Zürich' })
    store.messages.insert(m)
    expect(ids('creme zurich')).toEqual([m.id])
    expect(() => store.search.search('creme', { limit: 0 })).toThrow(expect.objectContaining({ code: 'invalid-input' }))
    expect(() => store.search.search('creme', { limit: 101 })).toThrow(expect.objectContaining({ code: 'invalid-input' }))
  })

  it('ranks the newest RANK_WINDOW matches first, then reaches every older one exactly once', () => {
    expect(RANK_WINDOW).toBe(1000)
    const old = message(work, { body: 'otter otter otter', sentAt: 1 })
    store.messages.insert(old)
    const newer = Array.from({ length: RANK_WINDOW + 150 }, () => message(home, { body: 'otter seen once in a long sentence here' }))
    store.messages.insertMany(newer)
    const first = store.search.search('otter', { limit: 100 })
    expect(first.section).toBe('best')
    expect(first.hits.map((hit) => hit.messageId)).not.toContain(old.id)
    const seen = first.hits.map((hit) => hit.messageId as string)
    const sections: string[] = []
    let cursor = first.nextCursor
    while (cursor !== undefined) {
      const page = store.search.search('otter', { limit: 100, cursor })
      sections.push(page.section)
      seen.push(...page.hits.map((hit) => hit.messageId))
      cursor = page.nextCursor
    }
    expect(seen).toHaveLength(newer.length + 1)
    expect(new Set(seen)).toEqual(new Set([old.id, ...newer.map((m) => m.id)]))
    expect(seen.at(-1)).toBe(old.id)
    // 1,000 ranked in ten pages of 100 (the first one above), then 151 older ones.
    expect(sections).toEqual([...Array<string>(9).fill('best'), 'older', 'older'])
  })
})
