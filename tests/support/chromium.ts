import type { Browser } from 'playwright-core'
import { chromium } from 'playwright-core'

/** Debian's Chromium; Playwright cannot download its own browsers here. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'

/**
 * Launches Chromium with the flags this machine needs (no sandbox as root,
 * no background networking: the network is closed). Playwright gives every
 * launch a fresh temporary profile of its own.
 */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs
    ]
  })
}
