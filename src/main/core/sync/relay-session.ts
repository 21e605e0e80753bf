// Keeps one connection to one relay alive (docs/sync.md, "Connections"):
// connect, authenticate as the mailbox owner and subscribe from the durable
// cursor (reading sessions only), report every state change, and after any
// failure wait a jittered exponential delay (ReconnectBackoff) before trying
// again, until stop(). A heartbeat ping notices a silently dead connection.
import { RelayCloseCode, RelayError } from '../../../shared/relay/error-codes'
import { DEFAULT_RECONNECT_POLICY, ReconnectBackoff, type BackoffPolicy } from './backoff'
import type { InboundPipeline } from './inbound-pipeline'
import { RelayClient, type MailboxSigner } from './relay-client'
import type { ConnectionState, ConnectionStateChanged, SyncEvents } from './sync-events'

export interface MailboxReader {
  readonly mailboxId: Uint8Array
  readonly signer: MailboxSigner
  readonly pipeline: InboundPipeline<unknown>
}

export interface RelaySessionOptions {
  readonly relayUrl: string
  readonly events: SyncEvents
  /** Present when this session reads a mailbox; absent for send-only sessions to contacts' relays. */
  readonly reader?: MailboxReader
  readonly reconnect?: BackoffPolicy
  readonly random?: () => number
  readonly connectTimeoutMs?: number
  readonly requestTimeoutMs?: number
  readonly pingIntervalMs?: number
  readonly onOnline: (client: RelayClient) => void
  readonly onOffline: (client: RelayClient) => void
}

/** Close code the client uses when it drops a connection on purpose (RFC 6455 section 7.4.2: 4000-4999 are private). */
const CLIENT_RESTART_CLOSE = 4100

export class RelaySession {
  private readonly backoff: ReconnectBackoff
  private stopped = true
  private loop: Promise<void> | undefined
  private client: RelayClient | undefined
  private wake: (() => void) | undefined
  /** Close code of the last connection, if the relay closed it. */
  private lastCloseCode: number | undefined
  /** Why the last attempt ended (see ConnectionStateChanged.reason). */
  private lastReason: string | undefined
  private lastEvent: ConnectionStateChanged
  /** Highest seq acked on the current connection (a retried ack yields to a newer one). */
  private latestAck = 0

  constructor(private readonly options: RelaySessionOptions) {
    this.backoff = new ReconnectBackoff(options.reconnect, options.random)
    this.lastEvent = { relayUrl: options.relayUrl, state: 'offline', attempt: 0 }
  }

  get relayUrl(): string {
    return this.options.relayUrl
  }

  get online(): RelayClient | undefined {
    return this.client?.isOpen === true ? this.client : undefined
  }

  start(): void {
    if (!this.stopped) return
    this.stopped = false
    this.loop = this.run()
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.wake?.()
    await this.client?.close(1000, 'client stopping')
    await this.loop
    this.loop = undefined
  }

  /** Skips the remaining backoff delay (e.g. the OS reports the network is back). */
  retryNow(): void {
    this.wake?.()
  }

  /** The last state this session reported. */
  get state(): ConnectionState {
    return this.lastEvent.state
  }

  /** The last event this session emitted (its current state for a late subscriber). */
  get lastStateEvent(): ConnectionStateChanged {
    return this.lastEvent
  }

  private emit(state: ConnectionState, waiting?: { nextRetryMs: number; reason: string | undefined }): void {
    const base = { relayUrl: this.options.relayUrl, state, attempt: this.backoff.attempts }
    if (waiting === undefined) this.lastEvent = base
    else if (waiting.reason === undefined) this.lastEvent = { ...base, nextRetryMs: waiting.nextRetryMs }
    else this.lastEvent = { ...base, nextRetryMs: waiting.nextRetryMs, reason: waiting.reason }
    this.options.events.emit('connectionStateChanged', this.lastEvent)
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.lastCloseCode = undefined
      this.lastReason = undefined
      await this.connectOnce()
      if (this.stopped) break
      let delay = this.backoff.nextDelayMs()
      // Another connection took over this mailbox (relay-protocol section 4.4, close 4001): probably a
      // second running copy of this device. Wait the longest delay instead of fighting it for the mailbox.
      if (this.lastCloseCode === RelayCloseCode.REPLACED_BY_NEW_CONSUMER) delay = Math.max(delay, (this.options.reconnect ?? DEFAULT_RECONNECT_POLICY).capMs)
      this.emit('waiting', { nextRetryMs: delay, reason: this.lastReason ?? (this.lastCloseCode === undefined ? undefined : `CLOSED:${this.lastCloseCode}`) })
      await this.sleep(delay)
    }
    this.emit('offline')
  }

  private async connectOnce(): Promise<void> {
    this.emit('connecting')
    let client: RelayClient
    try {
      client = await RelayClient.connect(this.options.relayUrl, { connectTimeoutMs: this.options.connectTimeoutMs, requestTimeoutMs: this.options.requestTimeoutMs })
    } catch {
      this.lastReason = 'CONNECT_FAILED' // unreachable relay or no HELLO: the caller backs off
      return
    }
    this.client = client
    const closed = new Promise<void>((resolve) =>
      client.onClose((info) => {
        this.lastCloseCode = info.code
        resolve()
      })
    )
    const heartbeat = this.startHeartbeat(client)
    let wentOnline = false
    try {
      if (this.stopped) return
      if (this.options.reader !== undefined) {
        this.emit('authenticating')
        await this.startReading(client, this.options.reader)
      }
      if (this.stopped || !client.isOpen) return
      wentOnline = true
      this.backoff.markConnected(Date.now())
      this.emit('online')
      this.options.onOnline(client)
      await closed
    } catch (error) {
      // Authentication or subscription failed (typed RelayError, never containing secrets): back off and retry.
      // A request cut off by the connection closing reports the close code instead.
      if (error instanceof RelayError && error.code !== 'CONNECTION_CLOSED') this.lastReason = error.code
    } finally {
      clearInterval(heartbeat)
      this.options.reader?.pipeline.detach()
      if (wentOnline) this.options.onOffline(client)
      if (client.isOpen) void client.close(CLIENT_RESTART_CLOSE, 'client restarting connection')
      this.client = undefined
      this.backoff.markDisconnected(Date.now())
    }
  }

  private async startReading(client: RelayClient, reader: MailboxReader): Promise<void> {
    this.latestAck = 0
    await client.authenticate(reader.mailboxId, reader.signer)
    // A batch of the previous connection may still be committing: its cursor must be final before we subscribe.
    await reader.pipeline.idle()
    const pipeline = reader.pipeline
    pipeline.attach({
      ack: (upToSeq) => this.sendAck(client, upToSeq),
      fail: () => {
        void client.close(CLIENT_RESTART_CLOSE, 'batch could not be stored')
      }
    })
    // Handlers go in before subscribe: deliveries may follow its response immediately.
    client.onPush('deliver', (frame) => pipeline.deliver(frame))
    client.onPush('dropped', (frame) => pipeline.dropped(frame))
    client.onPush('queueEmpty', (frame) => pipeline.queueEmpty(frame.lastSeq))
    await client.subscribe(pipeline.committedSeq)
  }

  /**
   * A refused or unanswered ack (the relay drops frames while it pauses a
   * connection for RATE_LIMITED) would leave up to 256 deliveries in flight
   * and stall the mailbox, so it is sent again after the relay's delay unless
   * a later ack superseded it. Lost acks are otherwise harmless: the relay
   * redelivers and the cursor absorbs the copies.
   */
  private sendAck(client: RelayClient, upToSeq: number): void {
    this.latestAck = Math.max(this.latestAck, upToSeq)
    client.ack(upToSeq).catch((error: unknown) => {
      if (!(error instanceof RelayError) || (error.code !== 'RATE_LIMITED' && error.code !== 'TIMEOUT') || !client.isOpen) return
      const delay = Math.max(error.retryAfterMs, 250)
      setTimeout(() => {
        if (client.isOpen && this.latestAck === upToSeq) this.sendAck(client, upToSeq)
      }, delay).unref()
    })
  }

  /** Two pings in a row without an answer mean a dead connection (one may be dropped during a RATE_LIMITED pause). */
  private startHeartbeat(client: RelayClient): NodeJS.Timeout {
    const interval = this.options.pingIntervalMs ?? 25_000
    let missed = 0
    const timer = setInterval(() => {
      client.ping().then(
        () => {
          missed = 0
        },
        () => {
          missed++
          if (missed >= 2 && client.isOpen) void client.close(CLIENT_RESTART_CLOSE, 'heartbeat timed out')
        }
      )
    }, interval)
    timer.unref()
    return timer
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms)
      function done(): void {
        clearTimeout(timer)
        resolve()
      }
      this.wake = () => {
        this.wake = undefined
        done()
      }
    })
  }
}
