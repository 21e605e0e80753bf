import type { PushFrame, RequestFrames, RequestType, ResponseFrame } from '../../shared/relay/index'
import type { RelayErrorName } from '../../shared/relay/index'
import type { RelayConfig } from '../config'
import type { Logger } from '../logger'
import type { Metrics } from '../metrics'
import type { RelayKey } from '../relay-key'
import type { RateLimits } from '../limits/rate-limits'
import type { MailboxRecord, MailboxStore } from '../store/mailbox-store'
import type { DirectoryStore } from '../store/directory-store'
import type { BlobStore } from '../store/blob-store'
import type { RendezvousSlots } from '../rendezvous/rendezvous-slots'
import type { SubscriptionRegistry, Subscription } from './delivery'
import type { WriteBatcher } from './write-batcher'

/** What a handler may do with the connection that sent the request. */
export interface Peer {
  readonly ip: string
  readonly challenge: Uint8Array
  mailbox: MailboxRecord | undefined
  subscription: Subscription | undefined
  readonly isOpen: boolean
  readonly bufferedAmount: number
  respond(frame: ResponseFrame): void
  fail(requestId: number, code: RelayErrorName, message: string, retryAfterMs?: number): void
  push(frame: PushFrame): void
  close(code: number, reason: string): void
}

/** Everything the handlers share; composed once in server.ts. */
export interface RelayContext {
  readonly config: RelayConfig
  readonly logger: Logger
  readonly metrics: Metrics
  readonly relayKey: RelayKey
  readonly mailboxes: MailboxStore
  readonly directory: DirectoryStore
  readonly blobs: BlobStore
  readonly limits: RateLimits
  readonly subscriptions: SubscriptionRegistry
  readonly writeBatcher: WriteBatcher
  readonly rendezvous: RendezvousSlots
  /** Set once shutdown starts: new requests get SHUTTING_DOWN. */
  readonly lifecycle: { shuttingDown: boolean }
  now(): number
}

/** A request handler answers through `peer` (now or later) or throws a RelayError. */
export type Handler<T extends RequestType> = (ctx: RelayContext, peer: Peer, frame: RequestFrames[T]) => void | Promise<void>
export type HandlerTable = { [T in RequestType]: Handler<T> }
