import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { RelayClient } from '../../../src/main/core/sync/relay-client'
import type { RelayError } from '../../../src/shared/relay/index'
import { Inbox, connectOwner, envelopeOf, hex, messageId, newOwner } from './support/mailbox-owner'
import { UNLIMITED, spawnRelay } from './support/relay-process'

// Operations (issue 5 item 5; docs/relay.md): health, metrics, logs, graceful shutdown, quota.
describe('relay operations', () => {
  it('serves /healthz and Prometheus /metrics, and its logs never contain envelopes or tokens', async () => {
    const relay = await spawnRelay({ args: ['--log-level', 'debug'] })
    const owner = newOwner()
    const client = await connectOwner(relay.url, owner)
    await client.subscribe(0)
    const envelope = envelopeOf('log canary 7f3a')
    await client.send(owner.mailboxId, messageId(), owner.deliveryToken, envelope)
    await client.send(owner.mailboxId, messageId(), new Uint8Array(32), envelope).catch(() => {})

    const health = await fetch(`http://127.0.0.1:${relay.metricsPort}/healthz`)
    expect(health.status).toBe(200)
    expect(await health.json()).toMatchObject({ status: 'ok', connections: 1 })
    const metrics = await (await fetch(`http://127.0.0.1:${relay.metricsPort}/metrics`)).text()
    expect(metrics).toMatch(/^# TYPE tessera_relay_envelopes_accepted_total counter$/m)
    expect(metrics).toMatch(/^tessera_relay_envelopes_accepted_total 1$/m)
    expect(metrics).toMatch(/^tessera_relay_errors_total\{code="DELIVERY_TOKEN_INVALID"\} 1$/m)
    expect(metrics).toMatch(/^tessera_relay_connections 1$/m)
    await client.close()
    expect(await relay.stop()).toBe(0)

    expect(relay.logs.length).toBeGreaterThan(2)
    for (const line of relay.logs) expect(() => JSON.parse(line)).not.toThrow()
    const all = relay.logs.join('\n')
    for (const secret of [envelope.subarray(0, 24), owner.deliveryToken, owner.mailboxId]) {
      const buffer = Buffer.from(secret)
      for (const encoded of [buffer.toString('hex'), buffer.toString('base64'), buffer.toString('base64url')]) expect(all).not.toContain(encoded)
    }
    expect(all).not.toContain('log canary')
  })

  it('graceful shutdown stores and receipts every send it already received', async () => {
    const relay = await spawnRelay({ args: UNLIMITED })
    const owner = newOwner()
    await (await connectOwner(relay.url, owner)).close()
    const sender = await RelayClient.connect(relay.url)
    const ids = Array.from({ length: 2_000 }, messageId)
    const outcomes = ids.map((id) =>
      sender.send(owner.mailboxId, id, owner.deliveryToken, envelopeOf(hex(id))).then(
        () => 'receipt',
        (error: RelayError) => error.code
      )
    )
    await new Promise((resolve) => setTimeout(resolve, 5))
    const exitCode = relay.stop('SIGTERM')
    const results = await Promise.all(outcomes)
    expect(await exitCode).toBe(0)
    // Shutdown ran to the end: the database was closed (its WAL checkpointed and removed).
    expect(relay.logs.some((line) => line.includes('"relay stopped"'))).toBe(true)
    expect(existsSync(join(relay.dataDir, 'relay.db-wal'))).toBe(false)
    const receipted = ids.filter((_, i) => results[i] === 'receipt').map(hex)
    expect(receipted.length).toBeGreaterThan(0)
    // Everything else was refused explicitly or cut off by the close: never a receipt for a lost write.
    expect(results.every((r) => r === 'receipt' || r === 'SHUTTING_DOWN' || r === 'CONNECTION_CLOSED')).toBe(true)

    const restarted = await spawnRelay({ dataDir: relay.dataDir, args: UNLIMITED })
    const reader = await connectOwner(restarted.url, owner)
    const seen = new Set<string>()
    reader.onPush('deliver', (frame) => {
      seen.add(hex(frame.messageId))
      reader.ack(frame.seq).catch(() => {})
    })
    const inbox = new Inbox(reader)
    await reader.subscribe(0)
    await inbox.until(() => inbox.queueEmpty !== undefined) // sent once the whole backlog went out
    for (const id of receipted) expect(seen.has(id)).toBe(true)
    await reader.close()
    await restarted.stop()
  })

  it('a full mailbox refuses sends and records an explicit dropped marker', async () => {
    const relay = await spawnRelay({ args: ['--mailbox-quota', '3'] })
    const owner = newOwner()
    await (await connectOwner(relay.url, owner)).close()
    const sender = await RelayClient.connect(relay.url)
    const codes: string[] = []
    for (let i = 0; i < 6; i++) {
      codes.push(await sender.send(owner.mailboxId, messageId(), owner.deliveryToken, envelopeOf(`q${i}`)).then(() => 'ok', (error: RelayError) => error.code))
    }
    expect(codes).toEqual(['ok', 'ok', 'ok', 'MAILBOX_FULL', 'MAILBOX_FULL', 'MAILBOX_FULL'])
    const reader = await connectOwner(relay.url, owner)
    const inbox = new Inbox(reader)
    await reader.subscribe(0)
    await inbox.until(() => inbox.queueEmpty !== undefined)
    expect(inbox.delivered.map((frame) => frame.seq)).toEqual([1, 2, 3])
    expect(inbox.dropped).toHaveLength(1)
    expect(inbox.dropped[0]).toMatchObject({ seq: 4, count: 3 })
    await reader.ack(4)
    // Space again: the next send is stored after the marker.
    await sender.send(owner.mailboxId, messageId(), owner.deliveryToken, envelopeOf('after'))
    await inbox.until(() => inbox.delivered.length === 4)
    expect(inbox.delivered[3]?.seq).toBe(5)
    await Promise.all([reader.close(), sender.close()])
    await relay.stop()
  })

  it('the tessera-relay bin documents every setting in --help and rejects unknown flags', () => {
    const bin = resolve(import.meta.dirname, '../../../bin/tessera-relay.mjs')
    const help = execFileSync(process.execPath, [bin, '--help'], { encoding: 'utf8' })
    expect(help).toContain('--mailbox-quota')
    expect(help).toContain('TESSERA_RELAY_PORT')
    expect(() => execFileSync(process.execPath, [bin, '--no-such-flag'], { stdio: 'pipe' })).toThrow(/unknown option/)
  })
})
