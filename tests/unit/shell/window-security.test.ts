import { describe, expect, it, vi } from 'vitest'
import type { FakeBrowserWindow as FakeWindow } from '../../support/fake-electron'

const fake = await vi.hoisted(async () => (await import('../../support/fake-electron')).createFakeElectron())
vi.mock('electron', () => ({ ...fake.module, default: fake.module }))

const { createMainWindow } = await import('../../../src/main/shell/main-window')
const { secureWebPreferences } = await import('../../../src/main/shell/window-security')
const { createAppOrigin } = await import('../../../src/main/shell/app-origin')

const origin = createAppOrigin('/opt/Tessera/resources/app.asar/out/renderer', undefined)

function preventable() {
  return { defaultPrevented: false, preventDefault() { this.defaultPrevented = true } }
}

describe('every window is locked down (Electron security checklist)', () => {
  it('uses sandboxed, isolated, Node-free web preferences with web security on', () => {
    expect(secureWebPreferences('/p/index.cjs')).toMatchObject({
      preload: '/p/index.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false
    })
  })

  it('creates the main window with those preferences and loads the app entry', () => {
    const window = createMainWindow({ origin, preloadPath: '/p/index.cjs', iconPath: '/i.png', title: 'Tessera' }) as unknown as FakeWindow
    expect(window.options['webPreferences']).toEqual(secureWebPreferences('/p/index.cjs'))
    expect(window.loadedUrl).toBe('file:///opt/Tessera/resources/app.asar/out/renderer/index.html')
  })

  it('denies window.open, blocks navigation away from the app and refuses webviews', () => {
    const window = createMainWindow({ origin, preloadPath: '/p', iconPath: '/i', title: 'T' }) as unknown as FakeWindow
    const contents = window.webContents
    expect(contents.windowOpenHandler?.({ url: 'https://example.org' })).toEqual({ action: 'deny' })
    expect(contents.windowOpenHandler?.({ url: origin.entryUrl })).toEqual({ action: 'deny' })

    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'file:///opt/Tessera/other.html', 'javascript:alert(1)']) {
      const navigation = preventable()
      contents.emit('will-navigate', navigation, url)
      expect(navigation.defaultPrevented, url).toBe(true)
      const redirect = preventable()
      contents.emit('will-redirect', redirect, url)
      expect(redirect.defaultPrevented, url).toBe(true)
    }
    const own = preventable()
    contents.emit('will-navigate', own, `${origin.entryUrl}#/settings`)
    expect(own.defaultPrevented).toBe(false)

    const webview = preventable()
    contents.emit('will-attach-webview', webview, {}, {})
    expect(webview.defaultPrevented).toBe(true)
  })

  it('treats only the dev server origin as the app while developing', () => {
    const dev = createAppOrigin('/unused', 'http://localhost:5173/')
    expect(dev.entryUrl).toBe('http://localhost:5173/')
    expect(dev.isAppUrl('http://localhost:5173/#/chats')).toBe(true)
    expect(dev.isAppUrl('http://localhost:5174/')).toBe(false)
    expect(dev.isAppUrl('not a url')).toBe(false)
  })
})

describe('--smoke-test', async () => {
  const { runSmokeTest } = await import('../../../src/main/shell/smoke-test')

  function windowAnswering(answer: Promise<unknown>) {
    const window = createMainWindow({ origin, preloadPath: '/p', iconPath: '/i', title: 'T' }) as unknown as FakeWindow
    Object.assign(window.webContents, { executeJavaScript: () => answer })
    return window
  }

  it('exits 0 once the renderer made a real contract call through the preload', async () => {
    const window = windowAnswering(Promise.resolve(true))
    const exit = new Promise<number>((resolve) => runSmokeTest(window as never, resolve))
    window.webContents.emit('did-finish-load')
    expect(await exit).toBe(0)
  })

  it('exits 1 when the call fails or the page does not load', async () => {
    const failing = windowAnswering(Promise.resolve(false))
    const exit = new Promise<number>((resolve) => runSmokeTest(failing as never, resolve))
    failing.webContents.emit('did-finish-load')
    expect(await exit).toBe(1)
    const broken = windowAnswering(Promise.reject(new Error('no window.tessera')))
    const exitBroken = new Promise<number>((resolve) => runSmokeTest(broken as never, resolve))
    broken.webContents.emit('did-finish-load')
    expect(await exitBroken).toBe(1)
    const unloaded = windowAnswering(Promise.resolve(true))
    const exitUnloaded = new Promise<number>((resolve) => runSmokeTest(unloaded as never, resolve))
    unloaded.webContents.emit('did-fail-load')
    expect(await exitUnloaded).toBe(1)
  })
})
