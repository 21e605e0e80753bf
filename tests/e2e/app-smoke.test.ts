import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { launchChromium } from '../support/chromium'
import type { TestHost } from '../host/test-host'
import { DEFAULT_RENDERER_DIR, startTestHost } from '../host/test-host'
import type { TestKeychain } from '../support/test-keychain'
import { startTestKeychain } from '../support/test-keychain'
import { tesseraContract } from '../../src/shared/api/contract'
import { subscriptionName } from '../../src/shared/api/contract-kit'

const SCREENSHOT_DIR = join(process.cwd(), 'test-results')

describe('the real renderer in Chromium against the real core', () => {
  let host: TestHost
  let browser: Browser
  let profileDir: string
  let keyring: TestKeychain

  beforeAll(async () => {
    await stat(join(DEFAULT_RENDERER_DIR, 'index.html')) // built by `npm run build` before vitest in npm test
    profileDir = await mkdtemp(join(tmpdir(), 'tessera-e2e-'))
    keyring = await startTestKeychain()
    host = await startTestHost({ profileDir, rendererDir: DEFAULT_RENDERER_DIR, profile: 'e2e' })
    expect(await host.core.dispatcher.call('setUpProfile', undefined)).toMatchObject({ ok: true })
    browser = await launchChromium()
  })

  afterAll(async () => {
    await browser?.close()
    await host?.close()
    await keyring?.stop([{ name: 'e2e', dir: profileDir }])
    await rm(profileDir, { recursive: true, force: true })
  })

  it('shows the app info that a contract call returned, and screenshots it', async () => {
    const page = await browser.newPage()
    const consoleErrors: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text())
    })
    await page.goto(`${host.url}#/about`)
    await page.getByTestId('app-info').waitFor()
    expect(await page.getByTestId('app-name').textContent()).toBe('Tessera')
    expect(await page.getByTestId('app-profile').textContent()).toBe('e2e')
    expect(await page.getByTestId('app-runtime').textContent()).toBe('test-host')
    expect(await page.getByTestId('app-platform').textContent()).toContain(process.platform)
    await mkdir(SCREENSHOT_DIR, { recursive: true })
    const path = join(SCREENSHOT_DIR, 'about.png')
    await page.screenshot({ path })
    expect((await stat(path)).size).toBeGreaterThan(1000)
    expect(consoleErrors).toEqual([])
  })

  it('saves a setting through the contract and shows it after a reload', async () => {
    const page = await browser.newPage()
    await page.goto(`${host.url}#/settings`)
    await page.getByTestId('setting-theme').selectOption('dark')
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset['theme'])).toBe('dark')
    await page.reload()
    await expect.poll(() => page.getByTestId('setting-theme').inputValue()).toBe('dark')
  })

  it('exposes exactly the contract on window.tessera, with no generic invoke', async () => {
    const page = await browser.newPage()
    await page.goto(host.url)
    const keys = await page.evaluate(() => Object.keys(window.tessera).sort())
    expect(keys).toEqual([...Object.keys(tesseraContract.methods), ...Object.keys(tesseraContract.events).map(subscriptionName)].sort())
    for (const forbidden of ['invoke', 'send', 'sendSync', 'on', 'process', 'env']) expect(keys).not.toContain(forbidden)
    const result = await page.evaluate(() => window.tessera.updateSettings({ theme: 'neon' } as never))
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
  })

  it('refuses a WebSocket without the token or from another origin', async () => {
    const page = await browser.newPage()
    await page.goto(host.url)
    const outcome = await page.evaluate(
      (url) =>
        new Promise<string>((resolve) => {
          const socket = new WebSocket(url)
          socket.onopen = () => resolve('open')
          socket.onerror = () => resolve('refused')
        }),
      host.url.replace('http', 'ws') + '__tessera/ws?token=wrong'
    )
    expect(outcome).toBe('refused')
  })
})
