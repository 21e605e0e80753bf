import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { MESSAGE_ID_BYTES, messageIdTime, newMessageId } from '../../../src/shared/relay/index'

const random = (length: number): Uint8Array => new Uint8Array(randomBytes(length))

describe('newMessageId', () => {
  it('starts with the creation time in milliseconds, 48 bits big-endian, then random bytes', () => {
    const now = Date.UTC(2026, 10, 27, 3, 4, 5, 678)
    const id = newMessageId(() => new Uint8Array(10).fill(0xab), now)
    expect(id).toHaveLength(MESSAGE_ID_BYTES)
    expect(Buffer.from(id.subarray(0, 6)).readUIntBE(0, 6)).toBe(now)
    expect(messageIdTime(id)).toBe(now)
    expect([...id.subarray(6)]).toEqual(new Array(10).fill(0xab))
  })

  it('orders ids of later milliseconds after earlier ones byte-wise (the relay index order)', () => {
    const base = Date.now()
    const ids = Array.from({ length: 200 }, (_, i) => newMessageId(random, base + i * 7))
    const sorted = ids.slice().sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    expect(sorted.map(messageIdTime)).toEqual(ids.map(messageIdTime))
  })

  it('makes distinct ids within one millisecond', () => {
    const now = Date.now()
    const ids = new Set(Array.from({ length: 10_000 }, () => Buffer.from(newMessageId(random, now)).toString('hex')))
    expect(ids.size).toBe(10_000)
  })
})
