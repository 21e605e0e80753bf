import { buildBridgeApi } from '../../src/shared/api/bridge'
import { tesseraContract } from '../../src/shared/api/contract'
import type { Result } from '../../src/shared/api/result'
import type { EventFrame, ResultFrame } from './ws-frames'
import { HOST_TOKEN_META, HOST_WS_PATH } from './ws-frames'

/**
 * Browser side of the test host: installs `window.tessera` built from the
 * same contract table as the Electron preload, carried over a WebSocket.
 */
const token = document.querySelector<HTMLMetaElement>(`meta[name="${HOST_TOKEN_META}"]`)?.content ?? ''
const socket = new WebSocket(`ws://${location.host}${HOST_WS_PATH}?token=${encodeURIComponent(token)}`)
const opened = new Promise<void>((resolve, reject) => {
  socket.addEventListener('open', () => resolve())
  socket.addEventListener('error', () => reject(new Error('test host connection failed')))
})
const pending = new Map<number, (result: Result<unknown>) => void>()
const listeners = new Map<string, Set<(payload: unknown) => void>>()
let nextId = 1

socket.addEventListener('message', (message) => {
  const frame = JSON.parse(String(message.data)) as ResultFrame | EventFrame
  if ('event' in frame) {
    listeners.get(frame.event)?.forEach((listener) => listener(frame.payload))
  } else if (frame.id !== null) {
    pending.get(frame.id)?.(frame.result as Result<unknown>)
    pending.delete(frame.id)
  }
})
socket.addEventListener('close', () => {
  for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'unavailable', message: 'The test host closed the connection.' } })
  pending.clear()
})

const api = buildBridgeApi(tesseraContract, {
  call: async (method, input) => {
    await opened
    const id = nextId++
    return new Promise<Result<unknown>>((resolve) => {
      pending.set(id, resolve)
      socket.send(JSON.stringify({ id, method, input }))
    })
  },
  subscribe: (eventName, handler) => {
    const set = listeners.get(eventName) ?? new Set()
    set.add(handler)
    listeners.set(eventName, set)
    return () => set.delete(handler)
  }
})

Object.defineProperty(window, 'tessera', { value: api, writable: false, configurable: false })
