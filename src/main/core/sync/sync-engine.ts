// The client sync engine (issue 5 item 6; docs/sync.md). It owns one
// RelaySession per mailbox the account reads (normally one, on the home
// relay) and one send-only session per other relay that has outbox entries
// (the relays its contacts live on), plus one OutboxPump per relay. All
// durable state (cursors, received messages, outbox) lives in the store, so
// stop/start or a crash resumes exactly where the last commit left off.
import { randomBytes } from 'node:crypto'
import { DELIVERY_TOKEN_BYTES, MAILBOX_ID_BYTES, MESSAGE_ID_BYTES } from '../../../shared/relay/constants'
import { isPaddedLength } from '../../../shared/relay/padding'
import { newMessageId } from '../../../shared/relay/message-id'
import type { BackoffPolicy } from './backoff'
import { normaliseRelayUrl } from './contact-address'
import { InboundPipeline } from './inbound-pipeline'
import { idKey, OutboxPump } from './outbox-pump'
import { ReceiptVerifier } from './receipt-verifier'
import type { OutboxRetryPolicy } from './outbox-policy'
import type { MailboxSigner, RelayClient } from './relay-client'
import { RelaySession } from './relay-session'
import { SyncEvents, type ConnectionStateChanged } from './sync-events'
import type { DecryptBatch, InboundStore, OutboxStore } from './sync-store'

export interface OwnMailbox {
  readonly relayUrl: string
  readonly mailboxId: Uint8Array
  readonly signer: MailboxSigner
}

export interface SyncEngineOptions<T> {
  /** The account's mailboxes; the first is on the home relay. */
  readonly mailboxes: readonly OwnMailbox[]
  readonly inbound: InboundStore<T>
  readonly outbox: OutboxStore
  readonly decrypt: DecryptBatch<T>
  readonly events?: SyncEvents
  readonly reconnect?: BackoffPolicy
  readonly outboxPolicy?: OutboxRetryPolicy
  readonly maxBatch?: number
  readonly sendWindow?: number
  readonly connectTimeoutMs?: number
  readonly requestTimeoutMs?: number
  readonly pingIntervalMs?: number
  /** How long a send-only session stays open with an empty outbox before it closes. */
  readonly idleSendSessionMs?: number
  /** How often the engine re-reads which relays have pending entries (retries that came due, entries added by other code). */
  readonly outboxScanMs?: number
  readonly random?: () => number
}

export interface OutgoingEnvelope {
  readonly relayUrl: string
  readonly mailboxId: Uint8Array
  /** 32 bytes, or empty for the first-contact queue. */
  readonly deliveryToken: Uint8Array
  /** Sealed and padded (see padEnvelope); the engine never re-encrypts. */
  readonly envelope: Uint8Array
  /** Pass the id the caller stored with its message; a fresh random id otherwise. */
  readonly messageId?: Uint8Array
}

export class SyncEngine<T> {
  readonly events: SyncEvents
  private readonly readers: RelaySession[] = []
  private readonly senders = new Map<string, RelaySession>()
  private readonly pumps = new Map<string, OutboxPump>()
  private readonly onlineClients = new Map<string, Set<RelayClient>>()
  private readonly idleSince = new Map<string, number>()
  private readonly receipts = new ReceiptVerifier()
  private scanTimer: NodeJS.Timeout | undefined
  private running = false
  /** Send-only sessions that were closed, so the snapshot still shows them as offline. */
  private readonly closedSenderStates = new Map<string, ConnectionStateChanged>()

  constructor(private readonly options: SyncEngineOptions<T>) {
    this.events = options.events ?? new SyncEvents()
    for (const mailbox of options.mailboxes) {
      if (mailbox.mailboxId.length !== MAILBOX_ID_BYTES) throw new RangeError(`mailbox id must be ${MAILBOX_ID_BYTES} bytes`)
      const relayUrl = normaliseRelayUrl(mailbox.relayUrl)
      const pipeline = new InboundPipeline<T>({
        mailbox: { relayUrl, mailboxId: mailbox.mailboxId },
        store: options.inbound,
        decrypt: options.decrypt,
        events: this.events,
        maxBatch: options.maxBatch
      })
      this.readers.push(this.newSession(relayUrl, { mailboxId: mailbox.mailboxId, signer: mailbox.signer, pipeline }))
    }
  }

  start(): void {
    if (this.running) return
    this.running = true
    for (const session of this.readers) session.start()
    this.scanOutbox()
    this.scanTimer = setInterval(() => this.scanOutbox(), this.options.outboxScanMs ?? 5_000)
    this.scanTimer.unref()
  }

  async stop(): Promise<void> {
    this.running = false
    if (this.scanTimer !== undefined) clearInterval(this.scanTimer)
    this.scanTimer = undefined
    await Promise.all([...this.readers, ...this.senders.values()].map((session) => session.stop()))
    for (const [relayUrl, session] of this.senders) this.closedSenderStates.set(relayUrl, session.lastStateEvent)
    this.senders.clear()
    for (const pump of this.pumps.values()) pump.detach()
  }

  /**
   * Persists an envelope in the outbox (durable before any network attempt)
   * and starts sending it. Returns its message id, hex-encoded.
   */
  send(message: OutgoingEnvelope): string {
    const relayUrl = normaliseRelayUrl(message.relayUrl)
    const messageId = message.messageId ?? newMessageId((length) => new Uint8Array(randomBytes(length)))
    if (messageId.length !== MESSAGE_ID_BYTES) throw new RangeError(`message id must be ${MESSAGE_ID_BYTES} bytes`)
    if (message.mailboxId.length !== MAILBOX_ID_BYTES) throw new RangeError(`mailbox id must be ${MAILBOX_ID_BYTES} bytes`)
    if (message.deliveryToken.length !== 0 && message.deliveryToken.length !== DELIVERY_TOKEN_BYTES) {
      throw new RangeError(`delivery token must be empty or ${DELIVERY_TOKEN_BYTES} bytes`)
    }
    if (!isPaddedLength(message.envelope.length)) throw new RangeError('envelope must be padded to a size bucket (padEnvelope)')
    this.options.outbox.enqueue({
      messageId,
      relayUrl,
      mailboxId: message.mailboxId,
      deliveryToken: message.deliveryToken,
      envelope: message.envelope,
      createdAt: Date.now()
    })
    const id = idKey(messageId)
    this.events.emit('outboxStatusChanged', { messageId: id, status: 'pending', attempts: 0 })
    this.kickOutbox(relayUrl)
    return id
  }

  /**
   * The current state of every relay the engine has talked to, for a UI that
   * subscribes late: a relay we read from is shown by its reading session,
   * other relays by their send-only session (offline once it closed).
   */
  connectionStates(): ConnectionStateChanged[] {
    const byRelay = new Map<string, ConnectionStateChanged>(this.closedSenderStates)
    for (const [relayUrl, session] of this.senders) byRelay.set(relayUrl, session.lastStateEvent)
    for (const session of this.readers) byRelay.set(session.relayUrl, session.lastStateEvent)
    return [...byRelay.values()]
  }

  /** Skips every pending reconnect delay, e.g. when the OS reports the network is back. */
  retryNow(): void {
    for (const session of [...this.readers, ...this.senders.values()]) session.retryNow()
  }

  /** Call after writing outbox entries through the store directly (e.g. in the same transaction as a ratchet step). */
  kickOutbox(relayUrl?: string): void {
    if (relayUrl === undefined) {
      this.scanOutbox()
      return
    }
    this.idleSince.delete(relayUrl)
    this.pumpFor(relayUrl).kick()
    this.ensureSender(relayUrl)
  }

  private scanOutbox(): void {
    if (!this.running) return
    const now = Date.now()
    const pending = new Set<string>()
    for (const { relayUrl, nextAttemptAt } of this.options.outbox.pendingRelays()) {
      pending.add(relayUrl)
      this.idleSince.delete(relayUrl)
      if (nextAttemptAt <= now) {
        this.ensureSender(relayUrl)
        this.pumpFor(relayUrl).kick()
      }
    }
    this.closeIdleSenders(pending, now)
  }

  private closeIdleSenders(pending: ReadonlySet<string>, now: number): void {
    for (const [relayUrl, session] of this.senders) {
      if (pending.has(relayUrl)) continue
      const since = this.idleSince.get(relayUrl) ?? now
      this.idleSince.set(relayUrl, since)
      if (now - since >= (this.options.idleSendSessionMs ?? 60_000)) {
        this.senders.delete(relayUrl)
        this.idleSince.delete(relayUrl)
        void session.stop().then(() => this.closedSenderStates.set(relayUrl, session.lastStateEvent))
      }
    }
  }

  /**
   * A reading session on this relay carries the sends once online; while it
   * is waiting to retry (reading refused, e.g. MAILBOX_NOT_FOUND, or the relay
   * unreachable) a send-only session does, because sends need no
   * authentication.
   */
  private ensureSender(relayUrl: string): void {
    if (!this.running || this.senders.has(relayUrl)) return
    if (this.readers.some((session) => session.relayUrl === relayUrl && session.state !== 'waiting')) return
    const session = this.newSession(relayUrl, undefined)
    this.closedSenderStates.delete(relayUrl)
    this.senders.set(relayUrl, session)
    session.start()
  }

  private pumpFor(relayUrl: string): OutboxPump {
    let pump = this.pumps.get(relayUrl)
    if (pump === undefined) {
      pump = new OutboxPump({
        relayUrl,
        store: this.options.outbox,
        events: this.events,
        policy: this.options.outboxPolicy,
        window: this.options.sendWindow,
        random: this.options.random,
        receipts: this.receipts
      })
      this.pumps.set(relayUrl, pump)
    }
    return pump
  }

  private newSession(relayUrl: string, reader: ConstructorParameters<typeof RelaySession>[0]['reader']): RelaySession {
    return new RelaySession({
      relayUrl,
      events: this.events,
      reader,
      reconnect: this.options.reconnect,
      random: this.options.random,
      connectTimeoutMs: this.options.connectTimeoutMs,
      requestTimeoutMs: this.options.requestTimeoutMs,
      pingIntervalMs: this.options.pingIntervalMs,
      onOnline: (client) => this.clientOnline(relayUrl, client),
      onOffline: (client) => this.clientOffline(relayUrl, client)
    })
  }

  private clientOnline(relayUrl: string, client: RelayClient): void {
    let clients = this.onlineClients.get(relayUrl)
    if (clients === undefined) this.onlineClients.set(relayUrl, (clients = new Set()))
    clients.add(client)
    const pump = this.pumpFor(relayUrl)
    if (!pump.isAttached) pump.attach(client)
  }

  private clientOffline(relayUrl: string, client: RelayClient): void {
    const clients = this.onlineClients.get(relayUrl)
    clients?.delete(client)
    const pump = this.pumpFor(relayUrl)
    pump.detach()
    // Another connection to the same relay (a second mailbox) can carry the sends.
    const other = clients?.values().next().value
    if (other !== undefined) pump.attach(other)
  }
}
