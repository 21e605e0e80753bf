import type { WebSocket } from 'ws'
import type { Dispatcher } from '../../src/main/core/api/dispatcher'
import { err } from '../../src/shared/api/result'
import type { EventFrame, ResultFrame } from './ws-frames'
import { MAX_FRAME_BYTES, callFrameSchema } from './ws-frames'

/**
 * Serves one authenticated page connection: each call frame gets exactly one
 * result frame, whatever it contains; nothing a page sends can throw here.
 */
export function serveConnection(
  socket: WebSocket,
  dispatcher: Dispatcher,
  subscribeAll: (listener: (eventName: string, payload: unknown) => void) => () => void
): void {
  const send = (frame: ResultFrame | EventFrame): void => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame))
  }
  const unsubscribe = subscribeAll((event, payload) => send({ event, payload }))
  socket.on('close', unsubscribe)
  socket.on('message', (data, isBinary) => {
    void handleFrame(data, isBinary).then(send)
  })

  async function handleFrame(data: unknown, isBinary: boolean): Promise<ResultFrame> {
    const text = frameText(data, isBinary)
    if (text === undefined) return { id: null, result: err('bad-request', 'Frames are JSON text of at most 1 MiB.') }
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      return { id: null, result: err('bad-request', 'The frame is not JSON.') }
    }
    const frame = callFrameSchema.safeParse(json)
    if (!frame.success) {
      const id = typeof (json as { id?: unknown } | null)?.id === 'number' ? (json as { id: number }).id : null
      return { id: Number.isSafeInteger(id) && (id as number) >= 0 ? id : null, result: err('bad-request', 'The frame is not a call.') }
    }
    return { id: frame.data.id, result: await dispatcher.call(frame.data.method, frame.data.input) }
  }
}

function frameText(data: unknown, isBinary: boolean): string | undefined {
  if (isBinary || !Buffer.isBuffer(data) || data.length > MAX_FRAME_BYTES) return undefined
  return data.toString('utf8')
}
