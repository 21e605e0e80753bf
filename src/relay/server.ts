import { createServer } from 'node:http'
import type { IncomingMessage, Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer } from 'ws'
import type WebSocket from 'ws'
import { RelayCloseCode } from '../shared/relay/index'
import type { RelayConfig } from './config'
import type { RelayContext } from './handlers/context'
import { SubscriptionRegistry } from './handlers/delivery'
import { WriteBatcher } from './handlers/write-batcher'
import { RateLimits } from './limits/rate-limits'
import { createLogger } from './logger'
import type { Logger, LogLevel } from './logger'
import { Metrics } from './metrics'
import { RelayKey } from './relay-key'
import { RendezvousSlots } from './rendezvous/rendezvous-slots'
import { BlobStore } from './store/blob-store'
import { SqliteDirectoryStore } from './store/directory-store'
import { openRelayDatabase, relayDatabasePath } from './store/open-database'
import { shortHashBackend } from './sha256'
import { startCheckpointer } from './store/checkpointer'
import { SqliteMailboxStore } from './store/sqlite-mailbox-store'
import { RelayConnection } from './transport/relay-connection'
import { startHousekeeping } from './housekeeping'

/** How often the worker checkpoints the WAL (docs/decisions/0041). */
const CHECKPOINT_INTERVAL_MS = 1_000

export interface RunningRelay {
  readonly port: number
  readonly metricsPort: number
  readonly relayKey: Uint8Array
  readonly ctx: RelayContext
  /** Graceful shutdown: stop accepting, store queued writes, close sockets (1001), close the database. */
  stop(): Promise<void>
}

/** Composes and starts the relay: stores, WebSocket port, metrics port, housekeeping timers. */
export async function startRelay(config: RelayConfig, logger: Logger = createLogger(config.logLevel as LogLevel)): Promise<RunningRelay> {
  const db = openRelayDatabase(config.dataDir, config.syncFull)
  const checkpointer = startCheckpointer(relayDatabasePath(config.dataDir), CHECKPOINT_INTERVAL_MS, (message) => logger.warn('checkpoint failed', { error: message }))
  const metrics = new Metrics()
  const writeBatcher = new WriteBatcher()
  const ctx: RelayContext = {
    config,
    logger,
    metrics,
    relayKey: RelayKey.loadOrCreate(config.dataDir),
    mailboxes: new SqliteMailboxStore(db, config),
    directory: new SqliteDirectoryStore(db),
    blobs: new BlobStore(db, config.dataDir, config),
    limits: new RateLimits(config),
    subscriptions: new SubscriptionRegistry(),
    writeBatcher,
    rendezvous: new RendezvousSlots(config.rendezvousTtlMs, config.maxRendezvousSlots),
    lifecycle: { shuttingDown: false },
    now: () => Date.now()
  }
  writeBatcher.bind(ctx)

  const connections = new Set<RelayConnection>()
  const perIp = new Map<string, number>()
  metrics.gauge('connections', 'open WebSocket connections', () => connections.size)
  metrics.gauge('subscriptions', 'active mailbox consumers', () => ctx.subscriptions.size)
  metrics.gauge('rendezvous_slots', 'open rendezvous slots', () => ctx.rendezvous.size)
  metrics.gauge('send_queue', 'sends and acks waiting for the next commit', () => writeBatcher.pending)
  metrics.describe('envelopes_accepted_total', 'envelopes stored and receipted')
  metrics.describe('envelopes_delivered_total', 'deliver and dropped pushes sent')
  metrics.describe('envelopes_acked_total', 'messages acknowledged by consumers')
  metrics.describe('errors_total', 'error responses by code')
  metrics.describe('rate_limited_total', 'requests refused by a rate limit, by scope')

  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxFrameBytes, perMessageDeflate: false, clientTracking: false })
  const server = createServer((req, res) => {
    res.writeHead(req.url === '/healthz' ? 200 : 426, { 'content-type': 'text/plain' })
    res.end(req.url === '/healthz' ? 'ok\n' : 'WebSocket endpoint: connect to /v1\n')
  })
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '/').split('?')[0]
    if ((path !== '/v1' && path !== '/') || ctx.lifecycle.shuttingDown) {
      socket.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => accept(ws, clientIp(req, config.trustProxy)))
  })

  function accept(ws: WebSocket, ip: string): void {
    const count = (perIp.get(ip) ?? 0) + 1
    if (count > config.maxConnectionsPerIp || connections.size >= config.maxConnections) {
      metrics.inc('connections_refused_total')
      ws.close(RelayCloseCode.TOO_MANY_CONNECTIONS, 'too many connections')
      return
    }
    perIp.set(ip, count)
    const connection = new RelayConnection(ws, ip, ctx)
    connections.add(connection)
    metrics.inc('connections_total')
    ws.on('error', () => {}) // 'close' follows; a peer's socket error is not the relay's error
    ws.on('close', () => {
      connection.dispose()
      connections.delete(connection)
      const left = (perIp.get(ip) ?? 1) - 1
      if (left <= 0) perIp.delete(ip)
      else perIp.set(ip, left)
    })
  }

  const metricsServer = createServer((req, res) => {
    if (req.url === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
      res.end(metrics.render())
    } else if (req.url === '/healthz') {
      const healthy = !ctx.lifecycle.shuttingDown
      res.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ status: healthy ? 'ok' : 'shutting-down', connections: connections.size }))
    } else {
      res.writeHead(404).end()
    }
  })

  const port = await listen(server, config.port, config.host)
  const metricsPort = await listen(metricsServer, config.metricsPort, config.metricsHost)
  const housekeeping = startHousekeeping(ctx, connections)
  logger.info('relay listening', { host: config.host, port, metricsPort, relayKey: Buffer.from(ctx.relayKey.publicKey).toString('hex'), receiptHash: shortHashBackend })

  let stopping: Promise<void> | undefined
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      ctx.lifecycle.shuttingDown = true
      logger.info('relay stopping', { connections: connections.size, queued: writeBatcher.pending })
      housekeeping.stop()
      server.close()
      writeBatcher.flush() // finish in-flight writes: everything received gets stored and receipted
      for (const connection of connections) connection.close(RelayCloseCode.GOING_AWAY, 'relay shutting down')
      const deadline = Date.now() + config.shutdownGraceMs
      while (connections.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
      for (const connection of connections) connection.terminate()
      writeBatcher.flush()
      await new Promise((resolve) => metricsServer.close(resolve))
      await checkpointer.stop()
      ctx.mailboxes.close()
      db.close() // the last connection to close checkpoints the WAL completely
      logger.info('relay stopped')
    })())

  return { port, metricsPort, relayKey: ctx.relayKey.publicKey, ctx, stop }
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port))
  })
}

/** The peer address, or (only when configured to trust the proxy) the last X-Forwarded-For hop. */
function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const header = req.headers['x-forwarded-for']
    const value = Array.isArray(header) ? header[header.length - 1] : header
    const last = value?.split(',').pop()?.trim()
    if (last) return last
  }
  return req.socket.remoteAddress ?? 'unknown'
}
