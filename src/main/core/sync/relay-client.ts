import { createHash, createPublicKey, verify as verifySignature } from 'node:crypto'
import WebSocket from 'ws'
import {
  MAX_FRAME_BYTES,
  RelayError,
  RESPONSE_TYPE_FOR,
  authenticateMessage,
  createMailboxMessage,
  decodeServerFrame,
  encodeFrame,
  hashLeaf,
  receiptLeaf,
  receiptRootMessage,
  rootFromInclusionProof,
  relayErrorName
} from '../../../shared/relay/index'
import type { PushFrames, PushType, RequestFields, RequestFrame, RequestType, ResponseFor, ResponseFrames, ServerFrame } from '../../../shared/relay/index'

/**
 * One WebSocket connection to a Tessera relay (docs/relay-protocol.md): waits
 * for the relay's HELLO, matches responses to requests by id with timeouts,
 * dispatches pushes to registered handlers and fails every pending request with
 * a typed RelayError when the connection closes. Reconnects, backoff, outbox
 * and batching live above this class (the sync engine), not in it.
 */

/** Signs with a mailbox owner key (Ed25519, RFC 8032); the private key never enters this class. */
export interface MailboxSigner {
  readonly publicKey: Uint8Array
  sign(message: Uint8Array): Uint8Array | Promise<Uint8Array>
}

export interface RelayClientOptions {
  /** Default time a request may wait for its response. */
  requestTimeoutMs?: number
  /** Time allowed to open the socket and receive HELLO. */
  connectTimeoutMs?: number
}

export interface RelayHello {
  relayKey: Uint8Array
  challenge: Uint8Array
  maxFrameBytes: number
  maxEnvelopeBytes: number
  serverTime: number
}

export interface CloseInfo {
  code: number
  reason: string
}

interface Pending {
  expected: string
  resolve: (frame: ServerFrame) => void
  reject: (error: RelayError) => void
  timer: NodeJS.Timeout
}

type PushHandler<T extends PushType> = (frame: PushFrames[T]) => void

const DEFAULT_REQUEST_TIMEOUT_MS = 15_000
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000

export class RelayClient {
  private nextRequestId = 1
  private readonly pending = new Map<number, Pending>()
  private readonly pushHandlers = new Map<PushType, Set<(frame: never) => void>>()
  private readonly closeHandlers = new Set<(info: CloseInfo) => void>()
  private closed: CloseInfo | undefined

  private constructor(
    private readonly socket: WebSocket,
    readonly hello: RelayHello,
    private readonly requestTimeoutMs: number
  ) {
    socket.on('message', (data: Buffer, isBinary: boolean) => this.onMessage(data, isBinary))
    socket.on('close', (code: number, reason: Buffer) => this.handleClose(code, reason.toString('utf8')))
    socket.on('error', () => {
      // 'close' always follows 'error' in ws; pending requests are failed there.
    })
  }

  /** Opens a connection and resolves once the relay's HELLO (its key and challenge) arrived. */
  static connect(url: string, options: RelayClientOptions = {}): Promise<RelayClient> {
    const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false, handshakeTimeout: connectTimeoutMs })
      const fail = (error: RelayError): void => {
        clearTimeout(timer)
        socket.removeAllListeners()
        socket.on('error', () => {})
        socket.terminate()
        reject(error)
      }
      const timer = setTimeout(() => fail(new RelayError('TIMEOUT', `no HELLO from relay within ${connectTimeoutMs} ms`)), connectTimeoutMs)
      socket.once('error', (error: Error) => fail(new RelayError('CONNECTION_CLOSED', `cannot connect: ${error.message}`)))
      socket.once('close', (code: number) => fail(new RelayError('CONNECTION_CLOSED', `closed before HELLO (code ${code})`)))
      socket.once('message', (data: Buffer) => {
        let frame: ServerFrame
        try {
          frame = decodeServerFrame(data)
        } catch (error) {
          fail(error instanceof RelayError ? error : new RelayError('MALFORMED_FRAME', 'undecodable HELLO'))
          return
        }
        if (frame.type !== 'hello') {
          fail(new RelayError('MALFORMED_FRAME', `expected HELLO, got ${frame.type}`))
          return
        }
        clearTimeout(timer)
        socket.removeAllListeners()
        const { relayKey, challenge, maxFrameBytes, maxEnvelopeBytes, serverTime } = frame
        resolve(new RelayClient(socket, { relayKey, challenge, maxFrameBytes, maxEnvelopeBytes, serverTime }, options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS))
      })
    })
  }

  get isOpen(): boolean {
    return this.closed === undefined && this.socket.readyState === WebSocket.OPEN
  }

  /** Bytes queued in the socket but not yet written: lets callers apply backpressure. */
  get bufferedAmount(): number {
    return this.socket.bufferedAmount
  }

  /**
   * Sends one request and resolves with its typed response. Rejects with a
   * RelayError carrying the relay's error code, TIMEOUT, or CONNECTION_CLOSED.
   */
  request<T extends RequestType>(type: T, body: RequestFields<T>, timeoutMs = this.requestTimeoutMs): Promise<ResponseFor<T>> {
    if (this.closed) return Promise.reject(new RelayError('CONNECTION_CLOSED', `connection closed (code ${this.closed.code})`))
    const requestId = this.allocateRequestId()
    let bytes: Uint8Array
    try {
      bytes = encodeFrame({ ...body, type, requestId } as unknown as RequestFrame)
    } catch (error) {
      return Promise.reject(error)
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId)
        reject(new RelayError('TIMEOUT', `${type} got no response within ${timeoutMs} ms`))
      }, timeoutMs)
      const expected = RESPONSE_TYPE_FOR[type]
      this.pending.set(requestId, { expected, resolve: resolve as (frame: ServerFrame) => void, reject, timer })
      this.socket.send(bytes, { binary: true })
    })
  }

  /** Section 3.1: creates a mailbox owned by `signer` (idempotent for the same owner). */
  async createMailbox(mailboxId: Uint8Array, signer: MailboxSigner, deliveryTokenHash: Uint8Array): Promise<void> {
    const message = createMailboxMessage(this.hello.relayKey, this.hello.challenge, mailboxId, signer.publicKey, deliveryTokenHash)
    const signature = await signer.sign(message)
    await this.request('createMailbox', { mailboxId, ownerKey: signer.publicKey, deliveryTokenHash, signature })
  }

  /** Section 3.2: signs this connection's challenge; afterwards `subscribe` and owner-only requests work. */
  async authenticate(mailboxId: Uint8Array, signer: MailboxSigner): Promise<void> {
    const signature = await signer.sign(authenticateMessage(this.hello.relayKey, this.hello.challenge, mailboxId))
    await this.request('authenticate', { mailboxId, signature })
  }

  /** Section 4.3: starts delivery of every unacknowledged message with seq > afterSeq (and acks those <= afterSeq). */
  async subscribe(afterSeq: number): Promise<void> {
    await this.request('subscribe', { afterSeq })
  }

  /** Section 4.4: sends a padded sealed envelope; an empty token targets the first-contact queue. */
  send(mailboxId: Uint8Array, messageId: Uint8Array, deliveryToken: Uint8Array, envelope: Uint8Array): Promise<ResponseFrames['receipt']> {
    return this.request('send', { mailboxId, messageId, deliveryToken, envelope })
  }

  /** Section 4.5: cumulative ack up to `upToSeq` plus selective acks of `seqs`. */
  async ack(upToSeq: number, seqs: number[] = []): Promise<void> {
    await this.request('ack', { upToSeq, seqs })
  }

  async ping(): Promise<number> {
    return (await this.request('ping', {})).serverTime
  }

  /** Registers a push handler; returns the function that removes it. */
  onPush<T extends PushType>(type: T, handler: PushHandler<T>): () => void {
    let handlers = this.pushHandlers.get(type)
    if (!handlers) this.pushHandlers.set(type, (handlers = new Set()))
    handlers.add(handler as (frame: never) => void)
    return () => handlers.delete(handler as (frame: never) => void)
  }

  /** Called once when the connection closes (by either side), with the close code. */
  onClose(handler: (info: CloseInfo) => void): () => void {
    if (this.closed) {
      const info = this.closed
      queueMicrotask(() => handler(info))
      return () => {}
    }
    this.closeHandlers.add(handler)
    return () => this.closeHandlers.delete(handler)
  }

  /** Closes the connection; pending requests fail with CONNECTION_CLOSED. */
  close(code = 1000, reason = ''): Promise<CloseInfo> {
    return new Promise((resolve) => {
      if (this.closed) return resolve(this.closed)
      this.closeHandlers.add(resolve)
      this.socket.close(code, reason)
      setTimeout(() => this.socket.terminate(), 2_000).unref()
    })
  }

  private allocateRequestId(): number {
    for (;;) {
      const id = this.nextRequestId
      this.nextRequestId = id >= 0xffffffff ? 1 : id + 1
      if (!this.pending.has(id)) return id
    }
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (!isBinary) return this.protocolViolation('text frame from relay')
    let frame: ServerFrame
    try {
      frame = decodeServerFrame(data)
    } catch {
      return this.protocolViolation('undecodable frame from relay')
    }
    if (frame.requestId === 0) {
      const handlers = this.pushHandlers.get(frame.type as PushType)
      if (handlers) for (const handler of handlers) handler(frame as never)
      return
    }
    const pending = this.pending.get(frame.requestId)
    if (!pending) return // a response that arrives after its timeout
    this.pending.delete(frame.requestId)
    clearTimeout(pending.timer)
    if (frame.type === 'error') {
      const name = relayErrorName(frame.code) ?? 'INTERNAL'
      pending.reject(new RelayError(name, frame.message, frame.retryAfterMs))
    } else if (frame.type !== pending.expected) {
      pending.reject(new RelayError('MALFORMED_FRAME', `expected ${pending.expected}, got ${frame.type}`))
    } else {
      pending.resolve(frame)
    }
  }

  private protocolViolation(reason: string): void {
    this.socket.close(4000, reason)
  }

  private handleClose(code: number, reason: string): void {
    if (this.closed) return
    this.closed = { code, reason }
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer)
      pending.reject(new RelayError('CONNECTION_CLOSED', `connection closed (code ${code})`))
      this.pending.delete(id)
    }
    for (const handler of this.closeHandlers) handler(this.closed)
    this.closeHandlers.clear()
  }
}

const sha256 = (data: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(data).digest())

/**
 * Checks a relay receipt (docs/relay-protocol.md section 3.3): the envelope
 * hash matches, the leaf (hash, mailbox, time) is included in the Merkle tree
 * (RFC 9162 2.1.3.2) whose root and size the relay signed with its Ed25519 key.
 */
export function verifyRelayReceipt(
  relayKey: Uint8Array,
  mailboxId: Uint8Array,
  envelope: Uint8Array,
  receipt: Pick<ResponseFrames['receipt'], 'envelopeHash' | 'receivedAt' | 'signature' | 'leafIndex' | 'treeSize' | 'proof'>
): boolean {
  const hash = sha256(envelope)
  if (!Buffer.from(hash).equals(receipt.envelopeHash)) return false
  const leaf = hashLeaf(sha256, receiptLeaf(hash, mailboxId, receipt.receivedAt))
  const root = rootFromInclusionProof(sha256, leaf, receipt.leafIndex, receipt.treeSize, receipt.proof)
  if (!root) return false
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(relayKey).toString('base64url') }, format: 'jwk' })
    return verifySignature(null, receiptRootMessage(root, receipt.treeSize), key, receipt.signature)
  } catch {
    return false // a malformed relay key
  }
}
