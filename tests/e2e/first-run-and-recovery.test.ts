import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { KeytarVault } from '../../src/main/core/keys/keytar-vault'
import { storePaths } from '../../src/main/core/store/store-paths'
import { keychainAccountFor } from '../../src/main/core/unlock/keychain-account'
import type { TestHost } from '../host/test-host'
import { DEFAULT_RENDERER_DIR, startTestHost } from '../host/test-host'
import { ensureBuilt } from '../support/built-app'
import { launchChromium } from '../support/chromium'
import type { TestKeychain } from '../support/test-keychain'
import { startTestKeychain } from '../support/test-keychain'

const PROFILE = 'e2e-recovery'
const SCREENSHOT_DIR = join(process.cwd(), 'test-results')
const sha256 = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex')

/**
 * The whole key story through the real UI, the real core and a real
 * Secret Service (a private gnome-keyring for this file): first run shows
 * the recovery key once; after the keychain entry is lost, the recovery key
 * opens the database and puts the entry back; a wrong key changes nothing.
 */
describe('first run, then recovery after the keychain forgot the key', () => {
  let keyring: TestKeychain
  let browser: Browser
  let profileDir: string
  let recoveryKey: string
  const vault = () => new KeytarVault()
  const account = () => keychainAccountFor(PROFILE, profileDir)

  beforeAll(async () => {
    keyring = await startTestKeychain()
    ensureBuilt()
    profileDir = await mkdtemp(join(tmpdir(), 'tessera-e2e-recovery-'))
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await keyring?.stop([{ name: PROFILE, dir: profileDir }])
    await rm(profileDir, { recursive: true, force: true })
  })

  async function withHost(run: (host: TestHost, page: Page) => Promise<void>): Promise<void> {
    const host = await startTestHost({ profileDir, rendererDir: DEFAULT_RENDERER_DIR, profile: PROFILE })
    const page = await browser.newPage()
    try {
      await page.goto(host.url)
      await run(host, page)
    } finally {
      await page.close()
      await host.close()
    }
  }

  it('creates the profile and shows the recovery key once', async () => {
    await withHost(async (_host, page) => {
      await page.getByTestId('create-profile').click()
      const shown = page.getByTestId('recovery-key')
      await shown.waitFor()
      recoveryKey = (await shown.textContent()) ?? ''
      expect(recoveryKey).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){7}$/)
      await mkdir(SCREENSHOT_DIR, { recursive: true })
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'recovery-key.png') })
      await page.getByTestId('recovery-key-saved').click()
      await page.getByRole('heading', { name: 'Chats' }).waitFor()
    })
    expect(await vault().get(account())).not.toBeNull()
  })

  it('opens straight from the keychain on the next start', async () => {
    await withHost(async (_host, page) => {
      await page.getByRole('heading', { name: 'Chats' }).waitFor()
    })
  })

  it('asks for the recovery key when the keychain entry is gone, refuses a wrong one without touching the database', async () => {
    expect(await vault().delete(account())).toBe(true)
    const database = storePaths(profileDir).database
    const before = await sha256(database)
    await withHost(async (_host, page) => {
      const unlock = page.getByTestId('unlock-view')
      await unlock.waitFor()
      expect(await unlock.getAttribute('data-state')).toBe('needs-recovery-key')

      const typo = recoveryKey.slice(0, -1) + (recoveryKey.endsWith('0') ? '1' : '0')
      await page.getByTestId('recovery-key-input').fill(typo)
      await page.getByTestId('unlock-with-recovery-key').click()
      await expect.poll(() => page.getByTestId('unlock-rejected').getAttribute('data-reason')).toBe('bad-checksum')
      expect(await sha256(database)).toBe(before)
      expect(await vault().get(account())).toBeNull()

      await page.getByTestId('recovery-key-input').fill(recoveryKey.toLowerCase().replaceAll('-', ' '))
      await page.getByTestId('unlock-with-recovery-key').click()
      await page.getByRole('heading', { name: 'Chats' }).waitFor()
    })
    expect(await vault().get(account())).not.toBeNull() // put back into the keychain
  })

  // Only the Linux Secret Service can be locked from a script; macOS and Windows runners cover the rest of this file.
  it.runIf(process.platform === 'linux')('says the keychain is locked (and never makes a new key) when it is', async () => {
    keyring.lock()
    const database = storePaths(profileDir).database
    const before = await sha256(database)
    await withHost(async (_host, page) => {
      const unlock = page.getByTestId('unlock-view')
      await unlock.waitFor()
      expect(await unlock.getAttribute('data-state')).toBe('keychain-locked')
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'keychain-locked.png') })
    })
    expect(await sha256(database)).toBe(before)
    await keyring.restartUnlocked()
  })
})
