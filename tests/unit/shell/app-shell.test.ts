import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { tesseraContract } from '../../../src/shared/api/contract'
import { eventChannel, methodChannel } from '../../../src/shared/api/contract-kit'

const fake = await vi.hoisted(async () => (await import('../../support/fake-electron')).createFakeElectron())
vi.mock('electron', () => ({ ...fake.module, default: fake.module }))
vi.mock('electron-updater', () => ({ default: { autoUpdater: { checkForUpdatesAndNotify: async () => null } } }))

const { startShell } = await import('../../../src/main/shell/app-shell')
type RunningShell = NonNullable<Awaited<ReturnType<typeof startShell>>>
const { FakeBrowserWindow, FakeNotification, FakeTray } = await import('../../support/fake-electron')

type Invoke = (event: unknown, ...args: unknown[]) => Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>

describe('the shell wires Electron to the core', () => {
  let appData: string
  let shell: RunningShell
  const originalArgv = process.argv

  beforeAll(async () => {
    appData = await mkdtemp(join(tmpdir(), 'tessera-shell-'))
    fake.state.paths.set('appData', appData)
    process.argv = ['electron', '.', '--profile', 'work']
    shell = (await startShell())!
  })
  afterAll(async () => {
    process.argv = originalArgv
    fake.module.app.emit('will-quit')
    await rm(appData, { recursive: true, force: true })
  })

  const window = () => FakeBrowserWindow.created.at(-1)!
  const trustedEvent = () => ({ sender: window().webContents, senderFrame: window().webContents.mainFrame })
  const invoke = (name: string, input?: unknown) => (fake.state.ipcHandlers.get(methodChannel(name)) as unknown as Invoke)(trustedEvent(), input)

  it('puts each --profile in its own user-data directory, then enables the sandbox for all renderers', () => {
    expect(fake.state.paths.get('userData')).toBe(join(appData, 'Tessera', 'profiles', 'work'))
    expect(fake.state.sandboxEnabled).toBe(true)
  })

  it('opens one main window and registers exactly one handler per contract method', async () => {
    expect(FakeBrowserWindow.created).toHaveLength(1)
    expect([...fake.state.ipcHandlers.keys()].sort()).toEqual(Object.keys(tesseraContract.methods).map(methodChannel).sort())
    const info = await invoke('getAppInfo')
    expect(info).toMatchObject({ ok: true, value: { name: 'Tessera', profile: 'work', runtime: 'electron' } })
  })

  it('refuses calls from anything but the main frame of its window', async () => {
    const handler = fake.state.ipcHandlers.get(methodChannel('getAppInfo')) as unknown as Invoke
    const result = await handler({ sender: window().webContents, senderFrame: { url: 'https://evil.example' } })
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } })
  })

  it('forwards core events to the window', async () => {
    await invoke('updateSettings', { theme: 'light' })
    expect(window().webContents.sent).toContainEqual([eventChannel('settingsChanged'), expect.objectContaining({ theme: 'light' })])
  })

  it('drives the tray badge and native notifications from contract events', () => {
    const tray = FakeTray.created.at(-1)!
    expect(tray.tooltip).toBe('Tessera')
    const { core } = shell
    core.events.emit('unreadCountChanged', { count: 3 })
    expect(tray.tooltip).toBe('Tessera (3 unread)')
    core.events.emit('notificationRequested', { title: 'Alice', body: 'New message' })
    const shown = FakeNotification.shown.at(-1)!
    expect(shown.options).toMatchObject({ title: 'Alice', body: 'New message' })
    window().hide()
    shown.emit('click')
    expect(window().visible).toBe(true)
  })

  it('opens https links only after the user confirms, and never other schemes', async () => {
    fake.state.dialogResponse = 1 // Cancel
    expect(await invoke('openExternalLink', { url: 'https://example.org/' })).toEqual({ ok: true, value: { opened: false } })
    fake.state.dialogResponse = 0 // Open link
    expect(await invoke('openExternalLink', { url: 'https://example.org/' })).toEqual({ ok: true, value: { opened: true } })
    const before = fake.state.dialogCalls.length
    for (const url of ['http://example.org/', 'file:///etc/passwd', 'javascript:alert(1)', 'https://bank@evil.example/']) {
      expect(await invoke('openExternalLink', { url })).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    }
    expect(fake.state.dialogCalls.length).toBe(before) // never even asked
    expect(fake.state.openedExternal).toEqual(['https://example.org/'])
  })

  it('hides to the tray on close while the setting says so, and shows the window for a second instance', async () => {
    const closing = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true } }
    window().emit('close', closing)
    expect(closing.defaultPrevented).toBe(true)
    expect(window().visible).toBe(false)
    fake.module.app.emit('second-instance')
    expect(window().visible).toBe(true)
    await invoke('updateSettings', { minimizeToTray: false })
    const closingForReal = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true } }
    window().emit('close', closingForReal)
    expect(closingForReal.defaultPrevented).toBe(false)
  })

  it('hardens every web contents the app creates', () => {
    const contents = new (window().webContents.constructor as new () => InstanceType<typeof FakeBrowserWindow>['webContents'])()
    fake.module.app.emit('web-contents-created', {}, contents)
    expect(contents.windowOpenHandler?.({ url: 'https://x' })).toEqual({ action: 'deny' })
  })
})

describe('a second instance of the same profile', () => {
  it('quits without opening a window', async () => {
    fake.state.singleInstanceLock = false
    fake.state.quitCalled = false
    const windowsBefore = FakeBrowserWindow.created.length
    expect(await startShell()).toBeUndefined()
    expect(fake.state.quitCalled).toBe(true)
    expect(FakeBrowserWindow.created.length).toBe(windowsBefore)
    fake.state.singleInstanceLock = true
  })

  it('refuses a profile name that could escape the profiles directory', async () => {
    const originalArgv = process.argv
    process.argv = ['electron', '.', '--profile=../../etc']
    await expect(startShell()).rejects.toThrow(/profile name/)
    process.argv = originalArgv
  })
})
