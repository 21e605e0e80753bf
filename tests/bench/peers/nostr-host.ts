// A minimal host for @nostr-relay/core with its SQLite event repository: the
// kind of relay "any relay" means today (issue 5, benchmark section). It wires
// the library exactly as its README intends: one `ws` server, every
// connection handed to NostrRelay.handleConnection, every text frame parsed as
// a NIP-01 message and passed to handleMessage (which checks the event id and
// its BIP-340 Schnorr signature before storing it).
//
// Usage: node --import tsx tests/bench/peers/nostr-host.ts <data-dir> [port]
// Prints one JSON line {"ready":true,"port":N} on stdout once listening.
import { join } from 'node:path'
import { NostrRelay } from '@nostr-relay/core'
import { EventRepositorySqlite } from '@nostr-relay/event-repository-sqlite'
import { WebSocketServer } from 'ws'

const dataDir = process.argv[2]
if (dataDir === undefined) {
  process.stderr.write('usage: nostr-host.ts <data-dir> [port]\n')
  process.exit(2)
}
const requestedPort = Number(process.argv[3] ?? '0')

const repository = new EventRepositorySqlite(join(dataDir, 'nostr.sqlite3'))
await repository.init()
const relay = new NostrRelay(repository)
const server = new WebSocketServer({ host: '127.0.0.1', port: requestedPort, perMessageDeflate: false, maxPayload: 1 << 20 })

server.on('connection', (socket, request) => {
  relay.handleConnection(socket, request.socket.remoteAddress)
  socket.on('message', (data) => {
    let message: unknown
    try {
      message = JSON.parse(data.toString())
    } catch {
      return // a malformed frame is dropped, as the library's own server does
    }
    if (!Array.isArray(message)) return
    // The library takes the NIP-01 tuple as-is; its own validator package is optional.
    relay.handleMessage(socket, message as Parameters<NostrRelay['handleMessage']>[1]).catch(() => undefined)
  })
  socket.on('close', () => relay.handleDisconnect(socket))
  socket.on('error', () => socket.terminate())
})

server.on('listening', () => {
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : requestedPort
  process.stdout.write(JSON.stringify({ ready: true, port }) + '\n')
})

const shutDown = (): void => {
  for (const client of server.clients) client.terminate()
  server.close(() => {
    void relay.destroy().finally(() => {
      void repository.destroy().finally(() => process.exit(0))
    })
  })
}
process.on('SIGTERM', shutDown)
process.on('SIGINT', shutDown)
