import { describe, expect, it } from 'vitest'
import { CONFIG_SPEC, ConfigError, loadConfig } from '../../../src/relay/config'
import { KeyedBuckets, TokenBucket } from '../../../src/relay/limits/token-bucket'

describe('token bucket', () => {
  it('allows the burst, then reports the wait until the next token', () => {
    const bucket = new TokenBucket(10, 3, 0)
    expect([bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([0, 0, 0])
    expect(bucket.take(0)).toBe(100)
    expect(bucket.take(100)).toBe(0)
    expect(bucket.isFull(1_000)).toBe(true)
  })

  it('keyed buckets are independent and idle ones are swept', () => {
    const buckets = new KeyedBuckets(1, 1)
    expect(buckets.take('a', 0)).toBe(0)
    expect(buckets.take('a', 0)).toBeGreaterThan(0)
    expect(buckets.take('b', 0)).toBe(0)
    buckets.sweep(10_000)
    expect(buckets.size).toBe(0)
  })
})

describe('relay config', () => {
  it('starts with no configuration: every setting has a documented default', () => {
    const config = loadConfig([], {})
    for (const [key, spec] of Object.entries(CONFIG_SPEC)) {
      expect(config[key as keyof typeof config]).toBe(spec.default)
      expect(spec.doc.length).toBeGreaterThan(10)
    }
    expect(config.retentionMs).toBe(30 * 24 * 3600_000)
    expect(config.maxInFlight).toBe(256)
  })

  it('reads env, then flags (flags win), with types checked', () => {
    const config = loadConfig(['--port', '9000', '--trust-proxy', '--mailbox-quota=50'], { TESSERA_RELAY_PORT: '8000', TESSERA_RELAY_LOG_LEVEL: 'warn' })
    expect(config.port).toBe(9000)
    expect(config.trustProxy).toBe(true)
    expect(config.mailboxQuota).toBe(50)
    expect(config.logLevel).toBe('warn')
  })

  it('rejects unknown flags, bad numbers and limits above the protocol maximum', () => {
    expect(() => loadConfig(['--bogus', '1'], {})).toThrow(ConfigError)
    expect(() => loadConfig(['--port', 'abc'], {})).toThrow(ConfigError)
    expect(() => loadConfig(['--max-envelope-bytes', '131072'], {})).toThrow(ConfigError)
    expect(() => loadConfig([], { TESSERA_RELAY_LOG_LEVEL: 'loud' })).toThrow(ConfigError)
  })
})
