import { MESSAGE_ID_BYTES } from './constants'

/** Bytes of the big-endian creation time in milliseconds at the start of a message id (as in UUIDv7, RFC 9562 5.7). */
const TIME_BYTES = 6

/**
 * A relay message id (docs/relay-protocol.md 4.5): the creation time in
 * milliseconds, 48 bits big-endian, then 80 random bits. The relay's dedupe
 * index is ordered by message id, so time-first ids are appended at its right
 * edge instead of scattered over it (decisions/0048); the relay accepts any
 * 16 bytes and never reads the time. 80 random bits keep ids unique per
 * mailbox: even 10^6 ids in one millisecond collide with probability ~4e-13.
 */
export function newMessageId(randomBytes: (length: number) => Uint8Array, nowMs: number = Date.now()): Uint8Array {
  const id = new Uint8Array(MESSAGE_ID_BYTES)
  id.set(randomBytes(MESSAGE_ID_BYTES - TIME_BYTES), TIME_BYTES)
  let time = Math.max(0, Math.floor(nowMs))
  for (let i = TIME_BYTES - 1; i >= 0; i--) {
    id[i] = time % 256
    time = Math.floor(time / 256)
  }
  return id
}

/** The creation time a time-first message id carries (for tests and diagnostics; the relay never uses it). */
export function messageIdTime(id: Uint8Array): number {
  let time = 0
  for (let i = 0; i < TIME_BYTES; i++) time = time * 256 + (id[i] ?? 0)
  return time
}
