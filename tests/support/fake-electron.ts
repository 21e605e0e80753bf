import { EventEmitter } from 'node:events'

/**
 * A recording stand-in for the 'electron' module, for shell unit tests only:
 * the Electron binary cannot run on this machine, so the shell is checked by
 * asserting what it asks Electron to do (docs/decisions/0002-thin-shell.md).
 */
export class FakeWebContents extends EventEmitter {
  url = ''
  destroyed = false
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined
  readonly mainFrame = { url: '' }
  readonly sent: Array<[string, unknown]> = []
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler
  }
  getURL(): string {
    return this.url
  }
  isDestroyed(): boolean {
    return this.destroyed
  }
  send(channel: string, payload: unknown): void {
    this.sent.push([channel, payload])
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static readonly created: FakeBrowserWindow[] = []
  readonly webContents = new FakeWebContents()
  loadedUrl: string | undefined
  visible = false
  constructor(readonly options: Record<string, unknown>) {
    super()
    FakeBrowserWindow.created.push(this)
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url
    this.webContents.url = url
    this.webContents.mainFrame.url = url
    return Promise.resolve()
  }
  show(): void {
    this.visible = true
  }
  hide(): void {
    this.visible = false
  }
  focus(): void {}
  restore(): void {}
  isMinimized(): boolean {
    return false
  }
  isDestroyed(): boolean {
    return false
  }
}

export class FakeTray extends EventEmitter {
  static readonly created: FakeTray[] = []
  tooltip = ''
  title = ''
  menu: unknown
  destroyed = false
  constructor(readonly image: unknown) {
    super()
    FakeTray.created.push(this)
  }
  setToolTip(text: string): void {
    this.tooltip = text
  }
  setTitle(text: string): void {
    this.title = text
  }
  setContextMenu(menu: unknown): void {
    this.menu = menu
  }
  destroy(): void {
    this.destroyed = true
  }
}

export class FakeNotification extends EventEmitter {
  static readonly shown: FakeNotification[] = []
  static supported = true
  constructor(readonly options: { title: string; body: string }) {
    super()
  }
  static isSupported(): boolean {
    return FakeNotification.supported
  }
  show(): void {
    FakeNotification.shown.push(this)
  }
}

type Handler = (...args: never[]) => unknown

export function createFakeElectron() {
  const appEvents = new EventEmitter()
  const state = {
    paths: new Map<string, string>([['appData', '/tmp/tessera-fake-appdata']]),
    singleInstanceLock: true,
    sandboxEnabled: false,
    quitCalled: false,
    ipcHandlers: new Map<string, Handler>(),
    headersListener: undefined as Handler | undefined,
    permissionRequestHandler: undefined as Handler | undefined,
    permissionCheckHandler: undefined as Handler | undefined,
    dialogResponse: 1,
    dialogCalls: [] as unknown[],
    openedExternal: [] as string[]
  }
  const session = {
    webRequest: { onHeadersReceived: (listener: Handler) => (state.headersListener = listener) },
    setPermissionRequestHandler: (handler: Handler) => (state.permissionRequestHandler = handler),
    setPermissionCheckHandler: (handler: Handler) => (state.permissionCheckHandler = handler)
  }
  const app = Object.assign(appEvents, {
    isPackaged: false,
    getName: () => 'Tessera',
    getVersion: () => '0.1.0',
    getPath: (name: string) => state.paths.get(name) ?? `/tmp/tessera-fake-${name}`,
    setPath: (name: string, value: string) => void state.paths.set(name, value),
    requestSingleInstanceLock: () => state.singleInstanceLock,
    enableSandbox: () => void (state.sandboxEnabled = true),
    whenReady: () => Promise.resolve(),
    quit: () => void (state.quitCalled = true),
    exit: () => void (state.quitCalled = true)
  })
  const module = {
    app,
    BrowserWindow: FakeBrowserWindow,
    Tray: FakeTray,
    Notification: FakeNotification,
    Menu: { buildFromTemplate: (template: unknown[]) => ({ template }) },
    nativeImage: { createFromPath: (path: string) => ({ path }) },
    ipcMain: {
      handle: (channel: string, handler: Handler) => void state.ipcHandlers.set(channel, handler),
      removeHandler: (channel: string) => void state.ipcHandlers.delete(channel)
    },
    session: { defaultSession: session },
    dialog: {
      showMessageBox: async (...args: unknown[]) => {
        state.dialogCalls.push(args)
        return { response: state.dialogResponse }
      }
    },
    shell: { openExternal: async (url: string) => void state.openedExternal.push(url) }
  }
  return { module, state }
}

export type FakeElectron = ReturnType<typeof createFakeElectron>
