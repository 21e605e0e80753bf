// Events the sync engine reports. The app's IPC contract maps them one to one
// onto UI events, so the payloads are plain data (no class instances, no
// secrets, no envelope bytes).
import { TypedEmitter } from './typed-emitter'

/**
 * connecting -> authenticating -> online; any failure -> waiting (a retry is
 * scheduled, see nextRetryMs) -> connecting ...; stop() -> offline.
 */
export type ConnectionState = 'connecting' | 'authenticating' | 'online' | 'waiting' | 'offline'

export interface ConnectionStateChanged {
  readonly relayUrl: string
  readonly state: ConnectionState
  /** Consecutive failed attempts before this state (0 once a connection proved stable). */
  readonly attempt: number
  /** Only in state 'waiting': delay before the next attempt. */
  readonly nextRetryMs?: number
  /**
   * Only in state 'waiting': why the last attempt ended. A relay error name
   * (e.g. AUTH_FAILED, MAILBOX_NOT_FOUND, TIMEOUT), CONNECT_FAILED (no
   * connection or no HELLO), or CLOSED:<WebSocket close code> (e.g. CLOSED:4001
   * when another consumer took over the mailbox). Never secret.
   */
  readonly reason?: string
}

export interface SyncProgress {
  readonly relayUrl: string
  /** Envelopes stored (after decryption) since this connection came online. */
  readonly received: number
  /** Envelopes the relay still holds for us, when it said so; 0 once it reported the queue empty. */
  readonly remaining?: number
}

export type OutboxStatus = 'pending' | 'sent' | 'failed'

export interface OutboxStatusChanged {
  readonly messageId: string
  readonly status: OutboxStatus
  readonly attempts: number
  /** Only for 'failed': a stable error code (never message content). */
  readonly errorCode?: string
}

export interface SyncEventMap {
  connectionStateChanged: ConnectionStateChanged
  syncProgress: SyncProgress
  outboxStatusChanged: OutboxStatusChanged
}

export class SyncEvents extends TypedEmitter<SyncEventMap> {}
