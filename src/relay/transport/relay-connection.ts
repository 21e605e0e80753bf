import { randomBytes } from 'node:crypto'
import type { Socket } from 'node:net'
import WebSocket from 'ws'
import {
  FrameDecodeError,
  MAX_ENVELOPE_BYTES,
  RelayCloseCode,
  RelayError,
  RelayErrorCode,
  decodeRequestFrame,
  encodeFrameAfter,
  peekRequestId
} from '../../shared/relay/index'
import type { PushFrame, RelayErrorName, RequestFrame, RequestType, ResponseFrame } from '../../shared/relay/index'
import type { Handler, Peer, RelayContext } from '../handlers/context'
import type { Subscription } from '../handlers/delivery'
import { HANDLERS } from '../handlers/handler-table'
import { TokenBucket } from '../limits/token-bucket'
import type { MailboxRecord } from '../store/mailbox-store'

/** Malformed frames in a row after which the connection is closed with 4000. */
const MAX_MALFORMED_IN_A_ROW = 1_000
/**
 * Shortest pause of a connection that exceeded its frame bucket. Frames the
 * socket already delivered during the pause are discarded unanswered: answering
 * each would let a flooder buy relay CPU with every TCP segment.
 */
const MIN_PAUSE_MS = 250
/** Size of a connection's output buffer: the frames of one callback usually fit in one. */
const OUTPUT_CHUNK_BYTES = 16 * 1024

/**
 * One client connection: sends HELLO, applies the per-connection and per-IP
 * frame buckets (pausing the socket, so a flood is held back by TCP instead of
 * costing CPU), decodes strictly, dispatches to the handler table and turns
 * RelayErrors into ERROR responses (docs/relay-protocol.md sections 2.3, 7).
 */
export class RelayConnection implements Peer {
  readonly challenge: Uint8Array = randomBytes(32)
  mailbox: MailboxRecord | undefined
  subscription: Subscription | undefined
  missedPongs = 0
  private readonly bucket: TokenBucket
  private malformedInARow = 0
  private resumeTimer: NodeJS.Timeout | undefined
  /** Frames encoded in this callback, not yet handed to the socket (see reserve). */
  private output: Buffer | undefined
  private outputUsed = 0
  private flushScheduled = false

  constructor(
    private readonly socket: WebSocket,
    readonly ip: string,
    private readonly ctx: RelayContext
  ) {
    this.bucket = new TokenBucket(ctx.config.connFramesPerSecond, ctx.config.connFramesBurst, ctx.now())
    socket.on('message', (data: Buffer, isBinary: boolean) => this.onMessage(data, isBinary))
    socket.on('pong', () => (this.missedPongs = 0))
    this.push({
      type: 'hello',
      requestId: 0,
      relayKey: ctx.relayKey.publicKey,
      challenge: this.challenge,
      maxFrameBytes: ctx.config.maxFrameBytes,
      maxEnvelopeBytes: Math.min(ctx.config.maxEnvelopeBytes, MAX_ENVELOPE_BYTES),
      serverTime: ctx.now()
    })
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN
  }

  get bufferedAmount(): number {
    return this.socket.bufferedAmount
  }

  respond(frame: ResponseFrame): void {
    this.write(frame)
  }

  push(frame: PushFrame): void {
    this.write(frame)
  }

  fail(requestId: number, code: RelayErrorName, message: string, retryAfterMs = 0): void {
    this.ctx.metrics.inc('errors_total', { code })
    // The wire carries printable ASCII only (section 4.15); never let a message make encoding throw.
    const printable = message.replace(/[^\x20-\x7e]/g, '?').slice(0, 256)
    this.write({ type: 'error', requestId, code: RelayErrorCode[code], retryAfterMs, message: printable })
  }

  close(code: number, reason: string): void {
    this.writeOutput() // frames already encoded go before ws's close frame
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) this.socket.close(code, reason)
  }

  terminate(): void {
    this.socket.terminate()
  }

  ping(): void {
    this.writeOutput()
    if (this.isOpen) this.socket.ping()
  }

  /** Called by the server when the socket closed. */
  dispose(): void {
    clearTimeout(this.resumeTimer)
    if (this.subscription) this.ctx.subscriptions.release(this.subscription)
    this.subscription = undefined
  }

  private write(frame: ResponseFrame | PushFrame): void {
    if (this.socket.readyState !== WebSocket.OPEN) return
    if (!this.rawSocket()) {
      this.socket.send(encodeFrameAfter(frame, () => 0), { binary: true })
      return this.checkSlowConsumer()
    }
    const before = this.output
    const mark = this.outputUsed
    try {
      encodeWebSocketMessage(frame, this.reserve)
    } catch (error) {
      // Never leave a half-written frame in the stream.
      this.outputUsed = this.output === before ? mark : 0
      throw error
    }
    if (!this.flushScheduled) {
      this.flushScheduled = true
      // nextTick: after the current callback (one incoming TCP chunk, or one
      // commit's receipts and deliveries), not a loop iteration later.
      process.nextTick(this.flush)
    }
  }

  /**
   * Frames written in one callback (receipts, deliveries, acks) are encoded
   * back to back into one buffer and leave in one socket write
   * (decisions/0047, 0048): no per-frame stream bookkeeping or allocation.
   */
  private readonly reserve = (size: number): Uint8Array => {
    if (this.output === undefined || this.output.length - this.outputUsed < size) {
      this.writeOutput()
      this.output = Buffer.allocUnsafe(Math.max(OUTPUT_CHUNK_BYTES, size))
    }
    const start = this.outputUsed
    this.outputUsed += size
    return this.output.subarray(start, this.outputUsed)
  }

  private readonly flush = (): void => {
    this.flushScheduled = false
    this.writeOutput()
  }

  /** Hands the encoded frames to the socket (which then owns the buffer) and checks the peer keeps up. */
  private writeOutput(): void {
    const output = this.output
    const used = this.outputUsed
    this.output = undefined
    this.outputUsed = 0
    if (output === undefined || used === 0) return
    const raw = this.rawSocket()
    if (!raw || this.socket.readyState !== WebSocket.OPEN) return
    raw.write(output.subarray(0, used))
    this.checkSlowConsumer()
  }

  /**
   * Any peer that stops reading (deliveries, blob chunks, responses) is cut off
   * before its unsent bytes grow without bound (docs/relay-protocol.md 4.4).
   */
  private checkSlowConsumer(): void {
    if (this.socket.bufferedAmount > this.ctx.config.slowConsumerBytes) {
      this.ctx.metrics.inc('slow_consumers_closed_total')
      this.close(RelayCloseCode.SLOW_CONSUMER, 'slow consumer')
    }
  }

  /**
   * The connection's net.Socket. Frames go straight to it as whole WebSocket
   * messages (header and payload in one buffer, see encodeWebSocketMessage)
   * instead of through ws's Sender, which writes two chunks per message. That
   * is safe because ws queues nothing of its own here: no permessage-deflate
   * (server.ts), no Blob sends; its pings and close frames go out in order.
   */
  private rawSocket(): Socket | undefined {
    return (this.socket as unknown as { _socket?: Socket })._socket
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (!isBinary) {
      this.ctx.metrics.inc('protocol_violations_total')
      return this.close(RelayCloseCode.PROTOCOL_ABUSE, 'text frames are not allowed')
    }
    if (this.resumeTimer) {
      this.ctx.metrics.inc('frames_discarded_total')
      return
    }
    const now = this.ctx.now()
    const wait = this.bucket.take(now) || this.ctx.limits.framesPerIp.take(this.ip, now)
    if (wait > 0) {
      const pause = Math.max(wait, MIN_PAUSE_MS)
      this.ctx.metrics.inc('rate_limited_total', { scope: 'frames' })
      this.fail(peekRequestId(data) ?? 0, 'RATE_LIMITED', 'too many frames', pause)
      return this.pauseFor(pause)
    }
    let frame: RequestFrame
    try {
      frame = decodeRequestFrame(data)
    } catch (error) {
      const decodeError = error instanceof FrameDecodeError ? error : new FrameDecodeError('MALFORMED_FRAME', 'undecodable', undefined)
      this.fail(decodeError.requestId ?? 0, decodeError.code, decodeError.message)
      if (++this.malformedInARow >= MAX_MALFORMED_IN_A_ROW) this.close(RelayCloseCode.PROTOCOL_ABUSE, 'too many malformed frames')
      return
    }
    this.malformedInARow = 0
    if (this.ctx.lifecycle.shuttingDown) return this.fail(frame.requestId, 'SHUTTING_DOWN', 'relay is shutting down')
    this.dispatch(frame)
  }

  private dispatch(frame: RequestFrame): void {
    const handler = HANDLERS[frame.type] as Handler<RequestType>
    try {
      const pending = handler(this.ctx, this, frame as never)
      if (pending) pending.catch((error: unknown) => this.handleError(frame, error))
    } catch (error) {
      this.handleError(frame, error)
    }
  }

  private handleError(frame: RequestFrame, error: unknown): void {
    if (error instanceof RelayError) return this.fail(frame.requestId, error.code, error.message, error.retryAfterMs)
    this.ctx.logger.error('handler failed', { op: frame.type, error: error instanceof Error ? error.message : 'unknown' })
    this.fail(frame.requestId, 'INTERNAL', 'internal error')
  }

  private pauseFor(ms: number): void {
    if (this.resumeTimer) return
    this.socket.pause()
    this.resumeTimer = setTimeout(() => {
      this.resumeTimer = undefined
      this.socket.resume()
    }, ms)
  }
}

/**
 * One unmasked, final, binary WebSocket message (RFC 6455 section 5.2)
 * carrying the encoded frame, built in a single buffer: the relay frame is
 * encoded after room for the 2-, 4- or 10-byte header.
 */
export function encodeWebSocketMessage(frame: ResponseFrame | PushFrame, allocate: (size: number) => Uint8Array = allocatePooled): Uint8Array {
  const bytes = encodeFrameAfter(frame, webSocketHeaderBytes, allocate)
  // The header size is a function of the payload size, so it follows from the total (no closure per frame).
  const payloadLength = bytes.length - 2 < 126 ? bytes.length - 2 : bytes.length - 4 <= 0xffff ? bytes.length - 4 : bytes.length - 10
  bytes[0] = 0x82 // FIN, opcode 2 (binary)
  if (payloadLength < 126) {
    bytes[1] = payloadLength
  } else if (payloadLength <= 0xffff) {
    bytes[1] = 126
    bytes[2] = payloadLength >>> 8
    bytes[3] = payloadLength & 0xff
  } else {
    bytes[1] = 127
    const view = new DataView(bytes.buffer, bytes.byteOffset, 10)
    view.setUint32(2, Math.floor(payloadLength / 0x1_0000_0000))
    view.setUint32(6, payloadLength >>> 0)
  }
  return bytes
}

/** RFC 6455 5.2: 2 header bytes, plus 2 or 8 for the extended payload length. */
function webSocketHeaderBytes(payloadLength: number): number {
  return payloadLength < 126 ? 2 : payloadLength <= 0xffff ? 4 : 10
}

/** Pooled (slices of 8 KB slabs below 4 KB): no malloc and zero fill per frame. */
function allocatePooled(size: number): Uint8Array {
  return Buffer.allocUnsafe(size)
}
