// A lean Tessera relay connection for load generation: the project's own
// codec (src/shared/relay) over `ws`, responses matched by request id, but
// none of RelayClient's per-request timers and promises, so the load
// generator's core is not what limits the figures. The benchmark's own
// deadlines bound every wait.
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto'
import WebSocket from 'ws'
import { authenticateMessage, createMailboxMessage, decodeServerFrame, encodeFrame } from '../../../src/shared/relay/index'
import type { PushFrame, RequestFields, RequestFrame, RequestType, ServerFrame } from '../../../src/shared/relay/index'

export interface Hello {
  readonly relayKey: Uint8Array
  readonly challenge: Uint8Array
}

type ResponseHandler = (frame: ServerFrame) => void
/** A request as the load generator writes it: its type plus its fields. */
type Body<T extends RequestType> = { readonly type: T } & RequestFields<T>

export class WireConnection {
  private nextId = 1
  private readonly handlers = new Map<number, ResponseHandler>()
  onPush: (frame: PushFrame) => void = () => undefined

  private constructor(readonly socket: WebSocket, readonly hello: Hello) {
    socket.on('message', (data: Buffer) => {
      const frame = decodeServerFrame(data)
      if (frame.requestId === 0) {
        this.onPush(frame as PushFrame)
        return
      }
      const handler = this.handlers.get(frame.requestId)
      if (handler === undefined) return
      this.handlers.delete(frame.requestId)
      handler(frame)
    })
  }

  static open(url: string): Promise<WireConnection> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { perMessageDeflate: false })
      socket.once('error', reject)
      socket.once('message', (data: Buffer) => {
        const frame = decodeServerFrame(data)
        if (frame.type !== 'hello') {
          reject(new Error(`expected hello, got ${frame.type}`))
          return
        }
        socket.removeAllListeners('error')
        socket.on('error', () => undefined)
        resolve(new WireConnection(socket, { relayKey: frame.relayKey, challenge: frame.challenge }))
      })
    })
  }

  /** Sends a request; `onResponse` gets its response (or error) frame. */
  post<T extends RequestType>(body: Body<T>, onResponse: ResponseHandler = () => undefined): void {
    const requestId = this.nextId++
    this.handlers.set(requestId, onResponse)
    this.socket.send(encodeFrame({ ...body, requestId } as unknown as RequestFrame))
  }

  request<T extends RequestType>(body: Body<T>): Promise<ServerFrame> {
    return new Promise((resolve, reject) => {
      this.post(body, (frame) => {
        if (frame.type === 'error') reject(new Error(`${body.type} refused: code ${frame.code} ${frame.message}`))
        else resolve(frame)
      })
    })
  }

  get inFlight(): number {
    return this.handlers.size
  }

  close(): void {
    this.socket.terminate()
  }
}

/** A mailbox owner: Ed25519 key (node:crypto), id, and delivery token. */
export interface BenchMailbox {
  readonly mailboxId: Uint8Array
  readonly deliveryToken: Uint8Array
  readonly publicKey: Uint8Array
  readonly privateKey: KeyObject
}

export function newBenchMailbox(index: number): BenchMailbox {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  const jwk = publicKey.export({ format: 'jwk' })
  const mailboxId = createHash('sha256').update(`bench-mailbox-${index}-${Math.random()}`).digest()
  const deliveryToken = createHash('sha256').update(`bench-token-${index}-${Math.random()}`).digest()
  return { mailboxId, deliveryToken, publicKey: Buffer.from(jwk.x ?? '', 'base64url'), privateKey }
}

export async function createMailbox(connection: WireConnection, mailbox: BenchMailbox): Promise<void> {
  const tokenHash = createHash('sha256').update(mailbox.deliveryToken).digest()
  const message = createMailboxMessage(connection.hello.relayKey, connection.hello.challenge, mailbox.mailboxId, mailbox.publicKey, tokenHash)
  await connection.request({ type: 'createMailbox', mailboxId: mailbox.mailboxId, ownerKey: mailbox.publicKey, deliveryTokenHash: tokenHash, signature: sign(null, message, mailbox.privateKey) })
}

export async function authenticate(connection: WireConnection, mailbox: BenchMailbox): Promise<void> {
  const message = authenticateMessage(connection.hello.relayKey, connection.hello.challenge, mailbox.mailboxId)
  await connection.request({ type: 'authenticate', mailboxId: mailbox.mailboxId, signature: sign(null, message, mailbox.privateKey) })
}

/**
 * Subscribes and acks like the sync engine does: deliveries that arrive in one
 * event-loop turn are acked together with one cumulative ack. `onDeliver`
 * sees every delivery; `onAcked(upToSeq)` fires when the relay confirmed an ack.
 */
export async function subscribeAndAck(
  connection: WireConnection,
  afterSeq: number,
  onDeliver: (frame: Extract<PushFrame, { type: 'deliver' }>) => void,
  onAcked: (upToSeq: number) => void = () => undefined,
  onQueueEmpty: () => void = () => undefined
): Promise<void> {
  let highest = afterSeq
  let ackScheduled = false
  connection.onPush = (frame) => {
    if (frame.type === 'deliver') {
      onDeliver(frame)
      highest = Math.max(highest, frame.seq)
      if (!ackScheduled) {
        ackScheduled = true
        setImmediate(() => {
          ackScheduled = false
          const upToSeq = highest
          connection.post({ type: 'ack', upToSeq, seqs: [] }, (reply) => {
            if (reply.type === 'ok') onAcked(upToSeq)
          })
        })
      }
    } else if (frame.type === 'queueEmpty') {
      onQueueEmpty()
    }
  }
  await connection.request({ type: 'subscribe', afterSeq })
}
