import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  ContactAddressError,
  formatContactAddress,
  parseContactAddress
} from '../../../src/main/core/sync/contact-address'

const mailbox = new Uint8Array(randomBytes(32))

function codeOf(text: string): string | undefined {
  try {
    parseContactAddress(text)
    return undefined
  } catch (error) {
    expect(error).toBeInstanceOf(ContactAddressError)
    return (error as ContactAddressError).code
  }
}

describe('contact address tessera:<relay-url>#<mailbox-id>', () => {
  it('round-trips and normalises the relay URL', () => {
    const text = formatContactAddress({ relayUrl: 'WSS://Relay.Example.org:443', mailboxId: mailbox })
    expect(text.startsWith('tessera:wss://relay.example.org/#')).toBe(true)
    const parsed = parseContactAddress(text)
    expect(parsed.relayUrl).toBe('wss://relay.example.org/')
    expect(Buffer.from(parsed.mailboxId).equals(Buffer.from(mailbox))).toBe(true)
  })

  it('keeps a path and port in the relay URL', () => {
    const parsed = parseContactAddress(formatContactAddress({ relayUrl: 'ws://127.0.0.1:8080/relay', mailboxId: mailbox }))
    expect(parsed.relayUrl).toBe('ws://127.0.0.1:8080/relay')
  })

  it('round-trips any mailbox id (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (id) => {
        const parsed = parseContactAddress(formatContactAddress({ relayUrl: 'wss://r.example/', mailboxId: id }))
        expect(Buffer.from(parsed.mailboxId).equals(Buffer.from(id))).toBe(true)
      })
    )
  })

  it('refuses what is not a tessera address, with a typed code', () => {
    const id = Buffer.from(mailbox).toString('base64url')
    expect(codeOf(`https://relay.example/#${id}`)).toBe('NOT_TESSERA')
    expect(codeOf(`tessera:https://relay.example/#${id}`)).toBe('BAD_RELAY_URL')
    expect(codeOf(`tessera:wss://user:pw@relay.example/#${id}`)).toBe('BAD_RELAY_URL')
    expect(codeOf(`tessera:wss://relay.example/?x=1#${id}`)).toBe('BAD_RELAY_URL')
    expect(codeOf(`tessera:not a url#${id}`)).toBe('BAD_RELAY_URL')
    expect(codeOf('tessera:wss://relay.example/')).toBe('BAD_MAILBOX_ID')
    expect(codeOf(`tessera:wss://relay.example/#${id.slice(1)}`)).toBe('BAD_MAILBOX_ID')
    expect(codeOf(`tessera:wss://relay.example/#${id}=`)).toBe('BAD_MAILBOX_ID')
    expect(codeOf(`tessera:wss://relay.example/#${'A'.repeat(42)}B`)).toBe('BAD_MAILBOX_ID') // non-canonical trailing bits
    expect(codeOf(`tessera:wss://relay.example/#${'a'.repeat(5000)}`)).toBe('NOT_TESSERA')
  })

  it('never throws anything but ContactAddressError on arbitrary input (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (tail) => {
        try {
          parseContactAddress(`tessera:${tail}`)
        } catch (error) {
          expect(error).toBeInstanceOf(ContactAddressError)
        }
      })
    )
  })
})
