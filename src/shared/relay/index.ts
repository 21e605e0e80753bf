// Public surface of the relay wire protocol (docs/relay-protocol.md), shared by relay and clients.
export * from './constants'
export * from './error-codes'
export * from './frames'
export { decodeRequestFrame, decodeServerFrame, encodeFrame, peekRequestId } from './codec'
export { authenticateMessage, createMailboxMessage, deviceListMessage, receiptMessage } from './signed-messages'
export { isPaddedLength, padEnvelope, paddedLength, unpadEnvelope } from './padding'
export { RESPONSE_TYPE_FOR } from './request-responses'
export type { ResponseFor } from './request-responses'
