import { describe, expect, it } from 'vitest'
import { authenticateMessage, createMailboxMessage, deviceListMessage, receiptLeaf, receiptRootMessage } from '../../../src/shared/relay/index'

// docs/relay-protocol.md section 3: exact layouts, and labels that keep purposes apart.
const b = (n: number, fill: number): Uint8Array => new Uint8Array(n).fill(fill)
const ascii = (text: string): string => Buffer.from(text).toString('hex')
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')

describe('3 signed messages', () => {
  it('3.2 authenticate = label 0x00 relayKey challenge mailboxId', () => {
    expect(hex(authenticateMessage(b(32, 1), b(32, 2), b(32, 3)))).toBe(ascii('tessera-relay-v1/authenticate') + '00' + '01'.repeat(32) + '02'.repeat(32) + '03'.repeat(32))
  })

  it('3.1 create binds relay key, challenge, mailbox, owner key and token hash', () => {
    const message = createMailboxMessage(b(32, 1), b(32, 2), b(32, 3), b(32, 4), b(32, 5))
    expect(hex(message)).toBe(ascii('tessera-relay-v1/create-mailbox') + '00' + ['01', '02', '03', '04', '05'].map((x) => x.repeat(32)).join(''))
  })

  it('3.3 receipt leaf = label 0x00 hash mailbox u64 time; signed root = label 0x00 root u32 size', () => {
    expect(hex(receiptLeaf(b(32, 9), b(32, 8), 0x0102030405))).toBe(ascii('tessera-relay-v1/receipt') + '00' + '09'.repeat(32) + '08'.repeat(32) + '0000000102030405')
    expect(hex(receiptRootMessage(b(32, 7), 3))).toBe(ascii('tessera-relay-v1/receipt-root') + '00' + '07'.repeat(32) + '00000003')
    expect(() => receiptRootMessage(b(32, 7), 0)).toThrow(RangeError)
  })

  it('3.4 device list = label 0x00 mailbox u64 version u32 length list', () => {
    expect(hex(deviceListMessage(b(32, 1), 2, b(3, 0xee)))).toBe(ascii('tessera-relay-v1/device-list') + '00' + '01'.repeat(32) + '0000000000000002' + '00000003' + 'eeeeee')
  })

  it('labels are pairwise distinct, so no message of one kind equals one of another', () => {
    const messages = [authenticateMessage(b(32, 0), b(32, 0), b(32, 0)), createMailboxMessage(b(32, 0), b(32, 0), b(32, 0), b(32, 0), b(32, 0)), receiptLeaf(b(32, 0), b(32, 0), 0), receiptRootMessage(b(32, 0), 1), deviceListMessage(b(32, 0), 0, new Uint8Array(0))]
    const prefixes = messages.map((message) => hex(message.subarray(0, message.indexOf(0) + 1)))
    expect(new Set(prefixes).size).toBe(5)
  })

  it('rejects wrong lengths', () => {
    expect(() => authenticateMessage(b(31, 0), b(32, 0), b(32, 0))).toThrow(RangeError)
    expect(() => receiptLeaf(b(32, 0), b(32, 0), -1)).toThrow(RangeError)
  })
})
