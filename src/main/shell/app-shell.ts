import { fileURLToPath } from 'node:url'
import type { BrowserWindow } from 'electron'
import { app, ipcMain, nativeImage, session } from 'electron'
import iconPath from '../../../resources/icon.png?asset'
import trayIconPath from '../../../resources/tray/tray.png?asset'
import trayTemplatePath from '../../../resources/tray/trayTemplate.png?asset'
import { tesseraContract } from '../../shared/api/contract'
import type { Settings } from '../../shared/api/settings'
import type { Core } from '../core/compose'
import { composeCore } from '../core/compose'
import { KeytarVault } from '../core/keys/keytar-vault'
import { createJsonLogger } from '../core/log/logger'
import { profileFromArgv } from '../core/profile/profile-name'
import { createAppOrigin } from './app-origin'
import { installContentSecurityPolicy } from './content-security-policy'
import { confirmAndOpenExternal } from './external-links'
import { forwardEventsTo, mainFrameSenderCheck, registerIpcHost } from './ipc-host'
import { createMainWindow } from './main-window'
import { showNativeNotification } from './notifications'
import { installPermissionPolicy } from './permissions'
import { profileUserDataDir } from './profile-paths'
import { SMOKE_TEST_FLAG, runSmokeTest } from './smoke-test'
import { AppTray } from './tray'
import { checkForUpdates } from './updater'
import { hardenWebContents } from './window-security'

/**
 * Starts the Electron app around the core. Everything here is glue: the
 * decisions (what a call does, what a notification says) live in the core.
 */
export interface RunningShell {
  readonly core: Core
}

/** Resolves to undefined when another instance of this profile already runs (it gets focused instead). */
export async function startShell(): Promise<RunningShell | undefined> {
  const log = createJsonLogger('shell')
  const profile = profileFromArgv(process.argv)
  // Before anything reads userData: the profile decides the directory, and the single-instance lock is per directory.
  app.setPath('userData', profileUserDataDir(app.getPath('appData'), app.getName(), profile))
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return undefined
  }
  app.enableSandbox()

  const origin = createAppOrigin(
    fileURLToPath(new URL('../renderer', import.meta.url)),
    app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL']
  )
  // Every web contents, including any a bug might create, gets the same lock-down.
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, origin))

  await app.whenReady()
  installContentSecurityPolicy(session.defaultSession)
  installPermissionPolicy(session.defaultSession, origin)

  let window: BrowserWindow | undefined
  let quitting = false
  const showWindow = (): void => {
    if (!window || window.isDestroyed()) window = openWindow()
    if (window.isMinimized()) window.restore()
    window.show()
    window.focus()
  }

  const core: Core = await composeCore({
    profileDir: app.getPath('userData'),
    appInfo: {
      name: app.getName(),
      version: app.getVersion(),
      platform: process.platform,
      arch: process.arch,
      profile,
      runtime: 'electron'
    },
    platform: { runtime: 'electron', confirmAndOpenExternal: (url) => confirmAndOpenExternal(window, url) },
    secretVault: new KeytarVault(),
    log
  })

  const contents = () => (window && !window.isDestroyed() ? window.webContents : undefined)
  const unregister = registerIpcHost(ipcMain, tesseraContract, core.dispatcher, mainFrameSenderCheck(contents, origin.isAppUrl))
  const stopForwarding = forwardEventsTo((listener) => core.events.subscribeAll(listener), contents)

  // macOS menu bars want a black-and-transparent "template" image; the @2x siblings are picked up by nativeImage.
  const trayIcon = nativeImage.createFromPath(process.platform === 'darwin' ? trayTemplatePath : trayIconPath)
  const tray = new AppTray(trayIcon, app.getName(), {
    showWindow,
    quit: () => {
      quitting = true
      app.quit()
    }
  })
  // The close button hides to the tray while the user wants that (a setting), so messages keep arriving.
  let minimizeToTray = true
  void core.dispatcher.call('getSettings', undefined).then((result) => {
    if (result.ok) minimizeToTray = (result.value as Settings).minimizeToTray
  })
  core.events.subscribe('settingsChanged', (settings) => {
    minimizeToTray = settings.minimizeToTray
  })
  core.events.subscribe('unreadCountChanged', ({ count }) => tray.setUnreadCount(count))
  core.events.subscribe('notificationRequested', (payload) => showNativeNotification(payload, showWindow))

  function openWindow(): BrowserWindow {
    const created = createMainWindow({
      origin,
      preloadPath: fileURLToPath(new URL('../preload/index.cjs', import.meta.url)),
      iconPath,
      title: app.getName()
    })
    created.on('close', (event) => {
      // Quit in the tray menu (or the OS) really quits; the close button only hides.
      if (!quitting && minimizeToTray) {
        event.preventDefault()
        created.hide()
      }
    })
    return created
  }

  app.on('second-instance', showWindow)
  app.on('activate', showWindow)
  app.on('before-quit', () => {
    quitting = true
  })
  app.on('will-quit', () => {
    unregister()
    stopForwarding()
    tray.dispose()
    void core.dispose()
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })

  showWindow()
  if (process.argv.includes(SMOKE_TEST_FLAG)) {
    runSmokeTest(window!, (code) => app.exit(code))
  } else {
    checkForUpdates(app.isPackaged, log)
  }
  return { core }
}
