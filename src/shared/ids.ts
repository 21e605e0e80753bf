/**
 * Branded identifiers shared by the core, the IPC contract and the renderer.
 * A brand makes the compiler refuse a MessageId where a ConversationId is
 * expected; the `as*` parsers are the only way to make one from a string, so
 * every id that crosses a boundary (IPC, relay, database row) is checked once.
 */
declare const brand: unique symbol
type Brand<T, B extends string> = T & { readonly [brand]: B }

export type AccountId = Brand<string, 'AccountId'>
export type DeviceId = Brand<string, 'DeviceId'>
export type ContactId = Brand<string, 'ContactId'>
export type ConversationId = Brand<string, 'ConversationId'>
export type MessageId = Brand<string, 'MessageId'>
export type AttachmentId = Brand<string, 'AttachmentId'>
export type RelayUrl = Brand<string, 'RelayUrl'>

/**
 * Ids are opaque tokens chosen by their creator: URL-safe base64/hex/uuid
 * characters, 1-128 long. That keeps them safe as file names (attachments)
 * and as SQL parameters, and bounds what a peer can make us store.
 */
const ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/

export class InvalidIdError extends TypeError {
  readonly code = 'invalid-id'
  constructor(readonly kind: string) {
    super(`Invalid ${kind}: expected 1-128 characters of A-Z, a-z, 0-9, '_' or '-'.`)
    this.name = 'InvalidIdError'
  }
}

function parseId<T>(kind: string, value: string): T {
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) throw new InvalidIdError(kind)
  return value as T
}

export const asAccountId = (value: string): AccountId => parseId('AccountId', value)
export const asDeviceId = (value: string): DeviceId => parseId('DeviceId', value)
export const asContactId = (value: string): ContactId => parseId('ContactId', value)
export const asConversationId = (value: string): ConversationId => parseId('ConversationId', value)
export const asMessageId = (value: string): MessageId => parseId('MessageId', value)
export const asAttachmentId = (value: string): AttachmentId => parseId('AttachmentId', value)

/**
 * Relay addresses are WebSocket URLs (ws:// only makes sense on loopback, the
 * sync layer decides). Checked with a pattern because src/shared has no URL
 * global (no DOM, no Node types).
 */
const RELAY_URL_PATTERN = /^wss?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~%/-]*)?$/

export function asRelayUrl(value: string): RelayUrl {
  if (typeof value !== 'string' || value.length > 512 || !RELAY_URL_PATTERN.test(value)) throw new InvalidIdError('RelayUrl')
  return value as RelayUrl
}
