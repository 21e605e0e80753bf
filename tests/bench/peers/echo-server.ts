// The "bound for this stack": a plain `ws` server that echoes every binary
// frame back unchanged. No parsing, no storage, no auth; whatever our relay
// achieves is compared against this ceiling (issue 5, benchmark section).
//
// Usage: node --import tsx tests/bench/peers/echo-server.ts [port]
// Prints one JSON line {"ready":true,"port":N} on stdout once listening.
import { WebSocketServer } from 'ws'

const requestedPort = Number(process.argv[2] ?? '0')
// perMessageDeflate off: our relay sends opaque ciphertext, compression would only cost CPU.
const server = new WebSocketServer({ host: '127.0.0.1', port: requestedPort, perMessageDeflate: false, maxPayload: 1 << 20 })

server.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => {
    socket.send(data, { binary: isBinary })
  })
  socket.on('error', () => socket.terminate())
})

server.on('listening', () => {
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : requestedPort
  process.stdout.write(JSON.stringify({ ready: true, port }) + '\n')
})

const shutDown = (): void => {
  for (const client of server.clients) client.terminate()
  server.close(() => process.exit(0))
}
process.on('SIGTERM', shutDown)
process.on('SIGINT', shutDown)
