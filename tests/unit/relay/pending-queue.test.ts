import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DROPPED_MARKER, FIRST_CONTACT, PendingQueue } from '../../../src/relay/store/pending-queue'

describe('PendingQueue', () => {
  it('keeps seq order, counts first-contact rows and finds rows by seq', () => {
    const queue = new PendingQueue()
    queue.push(1, 10, 0)
    queue.push(2, 11, FIRST_CONTACT)
    queue.push(4, 15, DROPPED_MARKER)
    expect(queue.pending).toBe(3)
    expect(queue.firstContactPending).toBe(1)
    expect(queue.find(2)).toEqual({ seq: 2, id: 11, flags: FIRST_CONTACT })
    expect(queue.find(3)).toBeUndefined()
    expect(queue.after(1, 10).map((entry) => entry.seq)).toEqual([2, 4])
    expect(queue.after(0, 2).map((entry) => entry.id)).toEqual([10, 11])
    expect(queue.newest()).toEqual({ seq: 4, id: 15, flags: DROPPED_MARKER })
  })

  it('refuses a seq that is not above the last one', () => {
    const queue = new PendingQueue()
    queue.push(5, 1, 0)
    expect(() => queue.push(5, 2, 0)).toThrow(RangeError)
    expect(() => queue.push(3, 2, 0)).toThrow(RangeError)
  })

  it('removes cumulatively and selectively, counting each row once', () => {
    const queue = new PendingQueue()
    for (let seq = 1; seq <= 6; seq++) queue.push(seq, 100 + seq, seq % 2 === 0 ? FIRST_CONTACT : 0)
    expect(queue.remove(4)).toBe(FIRST_CONTACT)
    expect(queue.remove(4)).toBeUndefined()
    expect(queue.removeUpTo(5)).toBe(4)
    expect(queue.pending).toBe(1)
    expect(queue.firstContactPending).toBe(1)
    expect(queue.after(0, 10).map((entry) => entry.seq)).toEqual([6])
    expect(queue.remove(6)).toBe(FIRST_CONTACT)
    expect(queue.newest()).toBeUndefined()
    expect(queue.pending).toBe(0)
  })

  it('behaves like a sorted map of pending rows under any mix of operations (property)', () => {
    type Op = { kind: 'push'; gap: number; fc: boolean } | { kind: 'removeUpTo'; back: number } | { kind: 'remove'; back: number }
    const op = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), gap: fc.integer({ min: 1, max: 3 }), fc: fc.boolean() }),
      fc.record({ kind: fc.constant('removeUpTo' as const), back: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ kind: fc.constant('remove' as const), back: fc.integer({ min: 0, max: 40 }) })
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 1500 }), (ops: Op[]) => {
        const queue = new PendingQueue()
        const model = new Map<number, { id: number; fc: boolean }>()
        let lastSeq = 0
        let nextId = 1
        for (const step of ops) {
          if (step.kind === 'push') {
            lastSeq += step.gap
            queue.push(lastSeq, nextId, step.fc ? FIRST_CONTACT : 0)
            model.set(lastSeq, { id: nextId++, fc: step.fc })
          } else if (step.kind === 'removeUpTo') {
            const upTo = lastSeq - step.back
            let pending = 0
            for (const seq of model.keys()) {
              if (seq > upTo) continue
              pending++
              model.delete(seq)
            }
            expect(queue.removeUpTo(upTo)).toBe(pending)
          } else {
            const seq = lastSeq - step.back
            const row = model.get(seq)
            expect(queue.remove(seq)).toBe(row ? (row.fc ? FIRST_CONTACT : 0) : undefined)
            model.delete(seq)
          }
        }
        const expected = [...model.keys()].sort((a, b) => a - b)
        expect(queue.after(0, Number.MAX_SAFE_INTEGER).map((entry) => entry.seq)).toEqual(expected)
        expect(queue.pending).toBe(model.size)
        expect(queue.firstContactPending).toBe([...model.values()].filter((row) => row.fc).length)
        for (const [seq, row] of model) expect(queue.find(seq)?.id).toBe(row.id)
      }),
      { numRuns: 200 }
    )
  })
})
