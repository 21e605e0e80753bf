import { MAX_BLOB_BYTES, MAX_ENVELOPE_BYTES, MAX_FRAME_BYTES } from '../shared/relay/index'

/**
 * Every relay setting with its default and meaning (docs/relay.md lists them).
 * Each key can be set by flag `--kebab-case-name value` or by environment
 * variable `TESSERA_RELAY_UPPER_SNAKE_NAME`; flags win over env, env over
 * defaults. Rates are token buckets: `...PerSecond` refill, `...Burst` capacity.
 */
export const CONFIG_SPEC = {
  host: { default: '127.0.0.1', doc: 'interface for the WebSocket port (put a TLS reverse proxy in front)' },
  port: { default: 8787, doc: 'WebSocket port (0 = pick a free port; the chosen ports are logged)' },
  metricsHost: { default: '127.0.0.1', doc: 'interface for /healthz and /metrics' },
  metricsPort: { default: 9797, doc: 'HTTP port for /healthz and /metrics (0 = pick a free port)' },
  dataDir: { default: './relay-data', doc: 'directory for relay.db, blobs/ and the relay key' },
  logLevel: { default: 'info', doc: 'debug | info | warn | error' },
  trustProxy: { default: false, doc: 'take the client IP from X-Forwarded-For (only behind your own proxy)' },
  syncFull: { default: false, doc: 'SQLite synchronous=FULL (survives power loss, slower); default NORMAL survives process crashes' },

  maxFrameBytes: { default: MAX_FRAME_BYTES, doc: 'largest WebSocket message accepted (protocol maximum 512 KiB)' },
  maxEnvelopeBytes: { default: MAX_ENVELOPE_BYTES, doc: 'largest envelope (a padding bucket, <= 65536)' },
  maxConnectionsPerIp: { default: 256, doc: 'simultaneous connections per client IP' },
  maxConnections: { default: 20_000, doc: 'simultaneous connections in total' },
  connFramesPerSecond: { default: 500, doc: 'frames per connection per second' },
  connFramesBurst: { default: 1_000, doc: 'frame burst per connection' },
  ipFramesPerSecond: { default: 2_000, doc: 'frames per IP per second' },
  ipFramesBurst: { default: 4_000, doc: 'frame burst per IP' },
  mailboxSendsPerSecond: { default: 200, doc: 'sends per destination mailbox per second' },
  mailboxSendsBurst: { default: 1_000, doc: 'send burst per destination mailbox' },
  firstContactPerMinute: { default: 10, doc: 'first-contact sends per destination mailbox per minute' },
  firstContactBurst: { default: 10, doc: 'first-contact burst per destination mailbox' },
  firstContactPerIpPerMinute: { default: 30, doc: 'first-contact sends per IP per minute' },
  prekeyFetchesPerIpPerMinute: { default: 60, doc: 'prekey fetches per IP per minute (also the burst)' },
  prekeyFetchesPerMailboxPerMinute: { default: 20, doc: 'prekey fetches per target mailbox per minute (also the burst)' },
  mailboxCreatesPerIpPerMinute: { default: 10, doc: 'mailbox creations per IP per minute (burst 2x)' },
  rendezvousCreatesPerIpPerMinute: { default: 10, doc: 'rendezvous slots created per IP per minute (also the burst)' },

  mailboxQuota: { default: 10_000, doc: 'pending messages per mailbox before MAILBOX_FULL and a dropped marker' },
  firstContactQuota: { default: 100, doc: 'pending first-contact messages per mailbox' },
  retentionMs: { default: 30 * 24 * 3600_000, doc: 'how long an unacknowledged message is kept' },
  dedupeWindowMs: { default: 3600_000, doc: 'how long after receipt an acknowledged message (its id, for dedupe) is kept before deletion' },
  expiryIntervalMs: { default: 60_000, doc: 'how often expiry runs' },
  expiryBatchSize: { default: 5_000, doc: 'rows deleted per expiry transaction' },
  maxInFlight: { default: 256, doc: 'unacknowledged deliveries per subscription' },
  slowConsumerBytes: { default: 32 * 1024 * 1024, doc: 'unsent bytes after which a connection is closed (4002); must exceed maxInFlight x maxEnvelopeBytes' },
  heartbeatMs: { default: 30_000, doc: 'WebSocket ping interval; a peer missing 4 pings in a row is closed (4004)' },
  maxPrekeysPerPool: { default: 1_000, doc: 'stored one-time prekeys per pool per mailbox' },

  maxBlobBytes: { default: 100 * 1024 * 1024, doc: `largest blob (protocol maximum ${MAX_BLOB_BYTES})` },
  blobRetentionMs: { default: 30 * 24 * 3600_000, doc: 'how long a complete blob is kept' },
  blobUploadIdleMs: { default: 24 * 3600_000, doc: 'how long an unfinished upload is kept after its last chunk' },
  rendezvousTtlMs: { default: 5 * 60_000, doc: 'lifetime of a rendezvous slot' },
  maxRendezvousSlots: { default: 10_000, doc: 'open rendezvous slots in total' },
  shutdownGraceMs: { default: 5_000, doc: 'how long shutdown waits for sockets to close' }
} as const satisfies Record<string, { default: string | number | boolean; doc: string }>

type Spec = typeof CONFIG_SPEC
export type RelayConfig = { -readonly [K in keyof Spec]: Spec[K]['default'] extends string ? string : Spec[K]['default'] extends number ? number : boolean }

export class ConfigError extends Error {
  override name = 'ConfigError'
}

const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
const envName = (key: string): string => `TESSERA_RELAY_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`

function coerce(key: string, raw: string, example: string | number | boolean): string | number | boolean {
  if (typeof example === 'string') return raw
  if (typeof example === 'boolean') {
    if (raw === 'true' || raw === '1' || raw === '') return true
    if (raw === 'false' || raw === '0') return false
    throw new ConfigError(`${key} must be true or false, got "${raw}"`)
  }
  const value = Number(raw)
  if (!Number.isFinite(value) || value < 0) throw new ConfigError(`${key} must be a non-negative number, got "${raw}"`)
  return value
}

/** Builds the config from defaults, then `env`, then `argv` flags; throws ConfigError on unknown flags or bad values. */
export function loadConfig(argv: readonly string[], env: Record<string, string | undefined>, overrides: Partial<RelayConfig> = {}): RelayConfig {
  const config: Record<string, string | number | boolean> = {}
  const byFlag = new Map<string, string>()
  for (const [key, spec] of Object.entries(CONFIG_SPEC)) {
    config[key] = spec.default
    byFlag.set(`--${kebab(key)}`, key)
    const fromEnv = env[envName(key)]
    if (fromEnv !== undefined) config[key] = coerce(key, fromEnv, spec.default)
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined]
    const key = byFlag.get(flag)
    if (!key) throw new ConfigError(`unknown option ${flag} (see --help)`)
    const example = CONFIG_SPEC[key as keyof Spec].default
    let raw = inline
    if (raw === undefined) {
      const next = argv[i + 1]
      if (typeof example === 'boolean' && (next === undefined || next.startsWith('--'))) raw = 'true'
      else if (next === undefined) throw new ConfigError(`${flag} needs a value`)
      else raw = argv[++i] as string
    }
    config[key] = coerce(key, raw, example)
  }
  Object.assign(config, overrides)
  const result = config as RelayConfig
  if (result.maxFrameBytes > MAX_FRAME_BYTES) throw new ConfigError(`maxFrameBytes cannot exceed ${MAX_FRAME_BYTES}`)
  if (result.maxEnvelopeBytes > MAX_ENVELOPE_BYTES) throw new ConfigError(`maxEnvelopeBytes cannot exceed ${MAX_ENVELOPE_BYTES}`)
  if (result.maxBlobBytes > MAX_BLOB_BYTES) throw new ConfigError(`maxBlobBytes cannot exceed ${MAX_BLOB_BYTES}`)
  if (result.slowConsumerBytes <= result.maxInFlight * result.maxEnvelopeBytes) {
    // A full delivery window of maximum-size envelopes must never count as "slow".
    throw new ConfigError('slowConsumerBytes must exceed maxInFlight x maxEnvelopeBytes')
  }
  if (!['debug', 'info', 'warn', 'error'].includes(result.logLevel)) throw new ConfigError('logLevel must be debug, info, warn or error')
  return result
}

/** The --help text: every setting with its flag, env variable and default. */
export function configHelp(): string {
  const lines = ['tessera-relay: store-and-forward relay for Tessera (docs/relay.md)', '', 'Options (flag / environment variable, default):']
  for (const [key, spec] of Object.entries(CONFIG_SPEC)) {
    lines.push(`  --${kebab(key)}  ${envName(key)}  (default ${JSON.stringify(spec.default)})`, `      ${spec.doc}`)
  }
  return lines.join('\n')
}

export const configNames = { kebab, envName }
