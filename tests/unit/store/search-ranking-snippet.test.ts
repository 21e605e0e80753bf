import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseSearchQuery, tokenize, tokenizeWithOffsets } from '../../../src/main/core/store/search-query'
import { matchStarts, rankBm25 } from '../../../src/main/core/store/search-ranking'
import { makeSnippet } from '../../../src/main/core/store/search-snippet'

const terms = (query: string) => parseSearchQuery(query).terms

describe('tokenize (mirrors unicode61 remove_diacritics 2)', () => {
  it('folds case and diacritics and splits on everything but letters and digits', () => {
    expect(tokenize('Crème-Brûlée, à 10h30!')).toEqual(['creme', 'brulee', 'a', '10h30'])
    expect(tokenizeWithOffsets('Zürich  café')).toEqual([
      { text: 'zurich', start: 0, end: 6 },
      { text: 'cafe', start: 8, end: 12 }
    ])
  })

  it('the ASCII fast path gives the same tokens as the general path', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'abcXYZ019 .,-_!?\t\n'.split('')), maxLength: 80 }), (text) => {
        expect(tokenize(text)).toEqual(tokenizeWithOffsets(text).map((token) => token.text))
      })
    )
  })
})

describe('rankBm25', () => {
  it('ranks more occurrences and shorter messages higher for one term', () => {
    const docs = [
      { seq: 1, tokens: tokenize('otter in a long message with many other words around it') },
      { seq: 2, tokens: tokenize('otter otter') },
      { seq: 3, tokens: tokenize('otter here') }
    ]
    const scores = rankBm25(docs, terms('otter'), [3], 1000)
    expect([...scores.entries()].sort((a, b) => b[1] - a[1]).map(([seq]) => seq)).toEqual([2, 3, 1])
  })

  it('weights the rarer of two terms more (IDF)', () => {
    const docs = [
      { seq: 1, tokens: tokenize('common common rare') },
      { seq: 2, tokens: tokenize('common rare rare') }
    ]
    const scores = rankBm25(docs, terms('common rare'), [900, 5], 1000)
    expect(scores.get(2)!).toBeGreaterThan(scores.get(1)!)
  })

  it('matches phrases and prefixes token-wise', () => {
    const tokens = tokenize('the quarterly report, quarterly reports')
    expect(matchStarts(tokens, terms('"quarterly report"')[0]!)).toEqual([1])
    expect(matchStarts(tokens, terms('report*')[0]!)).toEqual([2, 4])
  })
})

describe('makeSnippet', () => {
  it('highlights every match, merging a phrase into one range', () => {
    const body = 'Please send the quarterly report before Friday'
    const { snippet, highlights } = makeSnippet(body, tokenizeWithOffsets(body), terms('"quarterly report" friday'))
    expect(snippet).toBe(body)
    expect(highlights.map(([s, e]) => snippet.slice(s, e))).toEqual(['quarterly report', 'Friday'])
  })

  it('cuts long bodies around the first match with ellipses, offsets still exact', () => {
    const body = `${'filler '.repeat(40)}the walrus arrives ${'tail '.repeat(40)}`
    const { snippet, highlights } = makeSnippet(body, tokenizeWithOffsets(body), terms('walrus'))
    expect(snippet.startsWith('…')).toBe(true)
    expect(snippet.endsWith('…')).toBe(true)
    expect(snippet.length).toBeLessThan(130)
    expect(highlights.map(([s, e]) => snippet.slice(s, e))).toEqual(['walrus'])
  })

  it('keeps offsets right in non-ASCII text', () => {
    const body = 'Wir treffen uns in Zürich am Bahnhof'
    const { snippet, highlights } = makeSnippet(body, tokenizeWithOffsets(body), terms('zurich'))
    expect(highlights.map(([s, e]) => snippet.slice(s, e))).toEqual(['Zürich'])
  })
})
