/**
 * What the UI learns about syncing: connection state per relay, backlog
 * progress, and the fate of queued outgoing messages. Plain data: no
 * envelope bytes, no tokens, no keys (docs/sync.md, "Events").
 */
export type RelayConnectionState = 'connecting' | 'authenticating' | 'online' | 'waiting' | 'offline'

export interface RelayConnectionStatus {
  readonly relayUrl: string
  readonly state: RelayConnectionState
  /** Consecutive failed attempts before this state. */
  readonly attempt: number
  /** In 'waiting': milliseconds until the next attempt. */
  readonly nextRetryMs?: number
  /** In 'waiting': a stable reason code (e.g. MAILBOX_NOT_FOUND, CONNECT_FAILED, CLOSED:4001). */
  readonly reason?: string
}

export interface SyncBacklogProgress {
  readonly relayUrl: string
  /** Envelopes stored since this connection came online. */
  readonly received: number
  /** Envelopes still waiting at the relay, when it said; 0 once caught up. */
  readonly remaining?: number
}

export interface OutgoingMessageStatus {
  readonly messageId: string
  readonly status: 'pending' | 'sent' | 'failed'
  readonly attempts: number
  readonly errorCode?: string
}
