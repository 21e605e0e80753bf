/**
 * Typed error codes carried by ERROR frames (docs/relay-protocol.md section 5).
 * Numbers are wire values and never change meaning; new codes are appended.
 */
export const RelayErrorCode = {
  MALFORMED_FRAME: 1,
  UNSUPPORTED_VERSION: 2,
  UNKNOWN_FRAME_TYPE: 3,
  FRAME_TOO_LARGE: 4,
  RATE_LIMITED: 5,
  NOT_AUTHENTICATED: 6,
  AUTH_FAILED: 7,
  ALREADY_AUTHENTICATED: 8,
  MAILBOX_NOT_FOUND: 9,
  MAILBOX_EXISTS: 10,
  DELIVERY_TOKEN_INVALID: 11,
  ENVELOPE_TOO_LARGE: 12,
  ENVELOPE_NOT_PADDED: 13,
  MAILBOX_FULL: 14,
  STALE_VERSION: 15,
  BAD_SIGNATURE: 16,
  NOT_FOUND: 17,
  BLOB_TOO_LARGE: 18,
  BLOB_OFFSET_MISMATCH: 19,
  BLOB_HASH_MISMATCH: 20,
  RENDEZVOUS_USED: 21,
  RENDEZVOUS_EMPTY: 22,
  RENDEZVOUS_EXPIRED: 23,
  NOT_SUBSCRIBED: 24,
  CAPACITY_EXCEEDED: 25,
  SHUTTING_DOWN: 26,
  INTERNAL: 27,
  TIMEOUT: 28,
  CONNECTION_CLOSED: 29
} as const

export type RelayErrorName = keyof typeof RelayErrorCode
export type RelayErrorNumber = (typeof RelayErrorCode)[RelayErrorName]

const NAMES_BY_NUMBER = new Map<number, RelayErrorName>(
  (Object.entries(RelayErrorCode) as [RelayErrorName, number][]).map(([name, value]) => [value, name])
)

/** The symbolic name of a wire error number, or undefined for a code this version does not know. */
export function relayErrorName(code: number): RelayErrorName | undefined {
  return NAMES_BY_NUMBER.get(code)
}

/** An error with a protocol error code; its message never contains secrets or envelope bytes. */
export class RelayError extends Error {
  override name = 'RelayError'
  constructor(
    readonly code: RelayErrorName,
    message: string,
    readonly retryAfterMs = 0
  ) {
    super(message)
  }
}

/**
 * Raised by the decoder. `requestId` is set when the header could be read, so
 * the relay can answer the request that failed (section 2.3).
 */
export class FrameDecodeError extends RelayError {
  constructor(
    code: RelayErrorName,
    message: string,
    readonly requestId: number | undefined
  ) {
    super(code, message)
    this.name = 'FrameDecodeError'
  }
}

/** WebSocket close codes the relay uses (section 6). */
export const RelayCloseCode = {
  GOING_AWAY: 1001,
  MESSAGE_TOO_BIG: 1009,
  PROTOCOL_ABUSE: 4000,
  REPLACED_BY_NEW_CONSUMER: 4001,
  SLOW_CONSUMER: 4002,
  TOO_MANY_CONNECTIONS: 4003,
  IDLE_TIMEOUT: 4004
} as const
