import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { forwardSyncEvents } from '../../src/main/core/api/sync-event-bridge'
import type { TestHost } from '../host/test-host'
import { DEFAULT_RENDERER_DIR, startTestHost } from '../host/test-host'
import { ensureBuilt } from '../support/built-app'
import { launchChromium } from '../support/chromium'
import { readyCrypto } from '../integration/sync/support/aead-envelopes'
import { RelayProcess } from '../integration/sync/support/relay-process'
import { createTestMailbox } from '../integration/sync/support/test-account'
import { TestClient, waitFor } from '../integration/sync/support/test-client'
import type { TestKeychain } from '../support/test-keychain'
import { startTestKeychain } from '../support/test-keychain'

/**
 * A real sync engine talking to a real relay process; its events reach a
 * real page through the contract (window.tessera.onConnectionStateChanged,
 * onSyncProgress), exactly as the UI will consume them.
 */
describe('sync events reach the renderer through the contract', () => {
  let keyring: TestKeychain
  let relay: RelayProcess
  let host: TestHost
  let browser: Browser
  let profileDir: string
  let alice: TestClient
  let bob: TestClient

  beforeAll(async () => {
    keyring = await startTestKeychain()
    ensureBuilt()
    await readyCrypto()
    relay = await RelayProcess.start()
    const sharedKey = new Uint8Array(randomBytes(32))
    alice = await TestClient.create('alice-ui', await createTestMailbox(relay.url), sharedKey)
    bob = await TestClient.create('bob-ui', await createTestMailbox(relay.url), sharedKey)
    profileDir = await mkdtemp(join(tmpdir(), 'tessera-e2e-sync-'))
    host = await startTestHost({ profileDir, rendererDir: DEFAULT_RENDERER_DIR, profile: 'e2e-sync' })
    expect(await host.core.dispatcher.call('setUpProfile', undefined)).toMatchObject({ ok: true })
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await host?.close()
    await alice?.dispose()
    await bob?.dispose()
    await relay?.dispose()
    await keyring?.stop([{ name: 'e2e-sync', dir: profileDir }])
    await rm(profileDir, { recursive: true, force: true })
  })

  it('shows connection states and backlog progress as the engine reports them', async () => {
    const page = await browser.newPage()
    await page.goto(host.url)
    await page.evaluate(() => {
      const seen: unknown[] = []
      Object.assign(window, { seenSyncEvents: seen })
      window.tessera.onConnectionStateChanged((status) => seen.push({ kind: 'connection', ...status }))
      window.tessera.onSyncProgress((progress) => seen.push({ kind: 'progress', ...progress }))
    })
    const stopForwarding = forwardSyncEvents(bob.engine.events, host.core.events)

    // A backlog waits for bob while he is offline; then he comes online and drains it.
    alice.start()
    for (let i = 0; i < 12; i++) alice.sendText(bob.asContact(), `backlog-${i}`, `message ${i}`)
    await waitFor(() => alice.pendingOutbox() === 0, 15_000, 'alice sent the backlog')
    bob.start()
    await waitFor(() => bob.messageCount() === 12, 15_000, 'bob drained the backlog')

    const seen = async () => (await page.evaluate(() => (window as unknown as { seenSyncEvents: Array<Record<string, unknown>> }).seenSyncEvents))
    await expect.poll(async () => (await seen()).some((event) => event['kind'] === 'progress' && event['remaining'] === 0), { timeout: 10_000 }).toBe(true)
    const events = await seen()
    const states = events.filter((event) => event['kind'] === 'connection').map((event) => event['state'])
    expect(states.slice(0, 3)).toEqual(['connecting', 'authenticating', 'online'])
    expect(events.every((event) => event['relayUrl'] === relay.url)).toBe(true)
    const lastProgress = events.filter((event) => event['kind'] === 'progress').at(-1)
    expect(lastProgress).toMatchObject({ received: 12, remaining: 0 })
    // Nothing secret crosses: no token, key or envelope bytes in any payload.
    expect(JSON.stringify(events)).not.toContain(Buffer.from(bob.mailbox.deliveryToken).toString('hex'))

    // The workspace shows it: one line per relay, "Up to date" once the backlog is drained.
    const status = page.getByTestId('relay-status')
    await expect.poll(() => status.getAttribute('data-state')).toBe('online')
    await expect.poll(() => status.textContent()).toContain('Up to date')
    await page.screenshot({ path: join(process.cwd(), 'test-results', 'relay-status.png') })
    stopForwarding()
  })
})
