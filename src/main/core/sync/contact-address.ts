// A contact address names the relay a contact's mailbox lives on, so the sync
// engine knows where to send (docs/sync.md, "Addresses"):
//
//   tessera:<relay-url>#<mailbox-id>
//
// <relay-url> is a ws:// or wss:// URL without a fragment; <mailbox-id> is the
// 32-byte mailbox id (docs/relay-protocol.md) in unpadded base64url (RFC 4648
// section 5), 43 characters. The address holds no delivery token: that is a
// secret exchanged inside the encrypted session, not something to paste.
import { MAILBOX_ID_BYTES } from '../../../shared/relay/constants'

export interface ContactAddress {
  /** Normalised relay URL (WHATWG URL serialisation). */
  readonly relayUrl: string
  readonly mailboxId: Uint8Array
}

export type AddressErrorCode = 'NOT_TESSERA' | 'BAD_RELAY_URL' | 'BAD_MAILBOX_ID'

export class ContactAddressError extends Error {
  override readonly name = 'ContactAddressError'
  constructor(readonly code: AddressErrorCode, message: string) {
    super(message)
  }
}

const SCHEME = 'tessera:'
const MAX_ADDRESS_CHARS = 2048
const BASE64URL_43 = /^[A-Za-z0-9_-]{43}$/

export function parseContactAddress(text: string): ContactAddress {
  if (text.length > MAX_ADDRESS_CHARS || !text.startsWith(SCHEME)) {
    throw new ContactAddressError('NOT_TESSERA', 'not a tessera: address')
  }
  const rest = text.slice(SCHEME.length)
  // A relay URL cannot carry a fragment, so the last '#' separates the mailbox id.
  const hash = rest.lastIndexOf('#')
  if (hash < 0) throw new ContactAddressError('BAD_MAILBOX_ID', 'address has no #<mailbox-id>')
  const relayUrl = normaliseRelayUrl(rest.slice(0, hash))
  const encodedMailbox = rest.slice(hash + 1)
  if (!BASE64URL_43.test(encodedMailbox)) {
    throw new ContactAddressError('BAD_MAILBOX_ID', `mailbox id must be ${MAILBOX_ID_BYTES} bytes of unpadded base64url`)
  }
  const mailboxId = new Uint8Array(Buffer.from(encodedMailbox, 'base64url'))
  // 43 base64url characters carry 258 bits: the last character's low 2 bits must be zero (canonical form).
  if (mailboxId.length !== MAILBOX_ID_BYTES || encodeMailboxId(mailboxId) !== encodedMailbox) {
    throw new ContactAddressError('BAD_MAILBOX_ID', 'mailbox id is not canonical base64url')
  }
  return { relayUrl, mailboxId }
}

export function formatContactAddress(address: ContactAddress): string {
  if (address.mailboxId.length !== MAILBOX_ID_BYTES) throw new RangeError(`mailbox id must be ${MAILBOX_ID_BYTES} bytes`)
  return `${SCHEME}${normaliseRelayUrl(address.relayUrl)}#${encodeMailboxId(address.mailboxId)}`
}

export function encodeMailboxId(mailboxId: Uint8Array): string {
  return Buffer.from(mailboxId.buffer, mailboxId.byteOffset, mailboxId.byteLength).toString('base64url')
}

/** Accepts ws:// and wss:// only, without credentials, query or fragment; returns the WHATWG serialisation. */
export function normaliseRelayUrl(text: string): string {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new ContactAddressError('BAD_RELAY_URL', 'relay URL does not parse')
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new ContactAddressError('BAD_RELAY_URL', 'relay URL must use ws: or wss:')
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new ContactAddressError('BAD_RELAY_URL', 'relay URL must not carry credentials, a query or a fragment')
  }
  return url.toString()
}
