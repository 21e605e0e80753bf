import { BrowserWindow } from 'electron'
import type { AppOrigin } from './app-origin'
import { hardenWebContents, secureWebPreferences } from './window-security'

export interface MainWindowOptions {
  readonly origin: AppOrigin
  readonly preloadPath: string
  readonly iconPath: string
  readonly title: string
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1100,
    height: 720,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: options.title,
    icon: options.iconPath,
    backgroundColor: '#101418',
    webPreferences: secureWebPreferences(options.preloadPath)
  })
  hardenWebContents(window.webContents, options.origin)
  window.once('ready-to-show', () => window.show())
  void window.loadURL(options.origin.entryUrl)
  return window
}
