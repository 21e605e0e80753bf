import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, resolve } from 'node:path'
import { WebSocketServer } from 'ws'
import type { AppInfo } from '../../src/shared/api/contract'
import type { Core } from '../../src/main/core/compose'
import { composeCore } from '../../src/main/core/compose'
import type { Argon2Params } from '../../src/main/core/keys/argon2-params'
import { KeytarVault } from '../../src/main/core/keys/keytar-vault'
import type { SecretVault } from '../../src/main/core/keys/secret-vault'
import type { Logger } from '../../src/main/core/log/logger'
import { silentLogger } from '../../src/main/core/log/logger'
import { bundleShim } from './shim-bundle'
import { serveConnection } from './ws-transport'
import { HOST_SHIM_PATH, HOST_TOKEN_META, HOST_WS_PATH, MAX_FRAME_BYTES } from './ws-frames'

export interface TestHostOptions {
  readonly profileDir: string
  /** The built renderer (out/renderer from `electron-vite build`). */
  readonly rendererDir: string
  readonly profile?: string
  readonly log?: Logger
  /** Links the page asks to open are recorded here instead of opening a browser. */
  readonly openedLinks?: string[]
  /** The OS keychain; keytar (the real one) unless given. */
  readonly secretVault?: SecretVault
  readonly argon2?: { readonly recoveryKey?: Argon2Params; readonly passphrase?: Argon2Params }
}

export interface TestHost {
  readonly url: string
  readonly token: string
  readonly core: Core
  close(): Promise<void>
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2'
}

/**
 * Runs the real core under plain Node and serves the real built renderer
 * with a shim that installs the same `window.tessera` over a local
 * WebSocket: 127.0.0.1 only, a random port, a random bearer token, and the
 * page's own origin required. Test/dev infrastructure, never packaged.
 */
export async function startTestHost(options: TestHostOptions): Promise<TestHost> {
  const token = randomBytes(32).toString('base64url')
  const shim = await bundleShim()
  const appInfo: AppInfo = {
    name: 'Tessera',
    version: JSON.parse(await readFile(resolve('package.json'), 'utf8')).version,
    platform: process.platform,
    arch: process.arch,
    profile: options.profile ?? 'default',
    runtime: 'test-host'
  }
  const core = await composeCore({
    profileDir: options.profileDir,
    appInfo,
    log: options.log ?? silentLogger,
    secretVault: options.secretVault ?? new KeytarVault(),
    ...(options.argon2 ? { argon2: options.argon2 } : {}),
    platform: {
      runtime: 'test-host',
      confirmAndOpenExternal: async (url) => {
        options.openedLinks?.push(url)
        return false
      }
    }
  })

  const server = createServer((request, response) => {
    void serveFile(request, response).catch(() => {
      response.writeHead(500).end()
    })
  })
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  server.on('upgrade', (request, socket, head) => {
    if (!isAuthorizedUpgrade(request, origin, token)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n')
      return
    }
    sockets.handleUpgrade(request, socket, head, (ws) =>
      serveConnection(ws, core.dispatcher, (listener) => core.events.subscribeAll(listener))
    )
  })

  async function serveFile(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', origin).pathname
    if (path === HOST_SHIM_PATH) return void response.writeHead(200, { 'content-type': CONTENT_TYPES['.js']! }).end(shim)
    const file = path === '/' ? 'index.html' : normalize(decodeURIComponent(path)).replace(/^([/\\])+/, '')
    const full = resolve(options.rendererDir, file)
    if (!full.startsWith(resolve(options.rendererDir))) return void response.writeHead(404).end()
    let body: Buffer
    try {
      body = await readFile(full)
    } catch {
      return void response.writeHead(404).end()
    }
    const type = CONTENT_TYPES[extname(full)] ?? 'application/octet-stream'
    if (file === 'index.html') body = Buffer.from(injectShim(body.toString('utf8'), token))
    response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body)
  }

  return {
    url: `${origin}/`,
    token,
    core,
    close: async () => {
      for (const client of sockets.clients) client.terminate()
      sockets.close()
      await new Promise<void>((done) => server.close(() => done()))
      await core.dispose()
    }
  }
}

/** The shim must run before the app's module script, so it goes first in <head>. */
function injectShim(html: string, token: string): string {
  const tags = `<meta name="${HOST_TOKEN_META}" content="${token}" />\n    <script type="module" src="${HOST_SHIM_PATH}"></script>\n    `
  return html.replace(/<head>\s*/i, (head) => head + tags)
}

function isAuthorizedUpgrade(request: IncomingMessage, origin: string, token: string): boolean {
  const url = new URL(request.url ?? '/', origin)
  if (url.pathname !== HOST_WS_PATH) return false
  if (request.headers.origin !== origin) return false
  const given = Buffer.from(url.searchParams.get('token') ?? '')
  const expected = Buffer.from(token)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

export const DEFAULT_RENDERER_DIR = join(process.cwd(), 'out', 'renderer')
