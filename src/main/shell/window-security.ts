import type { WebContents, WebPreferences } from 'electron'
import type { AppOrigin } from './app-origin'

/**
 * The web preferences of every window (Electron security checklist,
 * electronjs.org/docs/latest/tutorial/security): the renderer is sandboxed,
 * isolated from the preload, has no Node, and keeps web security on.
 */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    spellcheck: false,
    navigateOnDragDrop: false,
    safeDialogs: true
  }
}

/**
 * Navigation lock-down for a window's contents: no new windows (links go
 * through openExternalLink, which asks the user), no navigation away from
 * the app, no <webview>.
 */
export function hardenWebContents(contents: WebContents, origin: AppOrigin): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  contents.on('will-navigate', (event, url) => {
    if (!origin.isAppUrl(url)) event.preventDefault()
  })
  contents.on('will-redirect', (event, url) => {
    if (!origin.isAppUrl(url)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
}
