import type { BrowserWindow } from 'electron'

export const SMOKE_TEST_FLAG = '--smoke-test'
const SMOKE_TEST_TIMEOUT_MS = 30_000

/**
 * `tessera --smoke-test` starts the packaged app, waits for the renderer to
 * load and make one real contract call through the preload, then exits 0 (or
 * 1 on any failure or after 30 s). The release workflow runs it on each OS,
 * because Electron cannot run on the build machine (docs/packaging.md).
 */
export function runSmokeTest(window: BrowserWindow, exit: (code: number) => void): void {
  const timer = setTimeout(() => exit(1), SMOKE_TEST_TIMEOUT_MS)
  const finish = (code: number) => {
    clearTimeout(timer)
    exit(code)
  }
  window.webContents.once('did-fail-load', () => finish(1))
  window.webContents.once('render-process-gone', () => finish(1))
  window.webContents.once('did-finish-load', () => {
    window.webContents
      .executeJavaScript('window.tessera.getAppInfo().then((result) => result.ok && result.value.runtime === "electron")')
      .then((passed: unknown) => finish(passed === true ? 0 : 1))
      .catch(() => finish(1))
  })
}
