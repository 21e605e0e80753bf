import type { IpcMainInvokeEvent, WebContents } from 'electron'
import { describe, expect, it } from 'vitest'
import { mainFrameSenderCheck } from '../../../src/main/shell/ipc-host'
import { FakeWebContents } from '../../support/fake-electron'

const APP_URL = 'file:///app/out/renderer/index.html'
const isAppUrl = (url: string) => url.startsWith(APP_URL)

function eventFrom(sender: FakeWebContents, frame: { url: string } | null): IpcMainInvokeEvent {
  return { sender, senderFrame: frame } as unknown as IpcMainInvokeEvent
}

describe('IPC sender check: only the app main frame, showing the app', () => {
  const contents = new FakeWebContents()
  contents.mainFrame.url = `${APP_URL}#/chats`
  const check = mainFrameSenderCheck(() => contents as unknown as WebContents, isAppUrl)

  it('accepts the main frame of the main window on the app page', () => {
    expect(check(eventFrom(contents, contents.mainFrame))).toBe(true)
  })

  it('refuses a subframe, another web contents, a foreign page, a missing frame and a destroyed window', () => {
    expect(check(eventFrom(contents, { url: `${APP_URL}` }))).toBe(false) // a different frame object: an iframe
    expect(check(eventFrom(new FakeWebContents(), contents.mainFrame))).toBe(false)
    expect(check(eventFrom(contents, null))).toBe(false)
    const foreign = new FakeWebContents()
    foreign.mainFrame.url = 'https://evil.example/'
    const foreignCheck = mainFrameSenderCheck(() => foreign as unknown as WebContents, isAppUrl)
    expect(foreignCheck(eventFrom(foreign, foreign.mainFrame))).toBe(false)
    const gone = new FakeWebContents()
    gone.destroyed = true
    expect(mainFrameSenderCheck(() => gone as unknown as WebContents, isAppUrl)(eventFrom(gone, gone.mainFrame))).toBe(false)
    expect(mainFrameSenderCheck(() => undefined, isAppUrl)(eventFrom(contents, contents.mainFrame))).toBe(false)
  })
})
