// Opens many WebSocket connections to one server and keeps them idle, so the
// benchmark can read the server's RSS delta per connection (issue 5 target:
// <= 8 KB per idle connection at 10,000 connections).
import WebSocket from 'ws'

export interface IdleConnectionOptions {
  readonly url: string
  readonly count: number
  /** How many handshakes are in flight at once. */
  readonly concurrency: number
  readonly timeoutMs: number
  /** Optional per-connection setup (e.g. authenticate and subscribe) awaited before counting it as idle. */
  readonly prepare?: (socket: WebSocket, index: number) => Promise<void>
}

export async function openIdleConnections(options: IdleConnectionOptions): Promise<WebSocket[]> {
  const sockets: WebSocket[] = []
  const deadline = Date.now() + options.timeoutMs
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < options.count) {
      if (Date.now() > deadline) throw new Error(`opened only ${sockets.length} of ${options.count} connections in time`)
      const index = next++
      const socket = await openOne(options.url)
      if (options.prepare !== undefined) await options.prepare(socket, index)
      sockets.push(socket)
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, worker))
  return sockets
}

function openOne(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false })
    socket.once('open', () => {
      socket.removeAllListeners('error')
      socket.on('error', () => undefined) // idle sockets may be dropped at shutdown
      resolve(socket)
    })
    socket.once('error', reject)
  })
}

export async function closeAll(sockets: readonly WebSocket[]): Promise<void> {
  for (const socket of sockets) socket.terminate()
  await new Promise((resolve) => setTimeout(resolve, 200))
}
