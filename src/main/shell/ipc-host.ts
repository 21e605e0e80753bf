import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron'
import type { ContractTable } from '../../shared/api/contract-kit'
import { eventChannel, methodChannel } from '../../shared/api/contract-kit'
import type { Result } from '../../shared/api/result'
import { err } from '../../shared/api/result'
import type { Dispatcher } from '../core/api/dispatcher'

/** Decides whether an IPC call comes from the app's own main frame and origin. */
export type SenderCheck = (event: IpcMainInvokeEvent) => boolean

/**
 * Registers exactly one ipcMain.handle per contract method, each bound to
 * its own name. The sender check runs before anything else; input parsing
 * and error wrapping are the dispatcher's. Returns a function that removes
 * every handler (for tests and shutdown).
 */
export function registerIpcHost(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  contract: ContractTable,
  dispatcher: Dispatcher,
  isTrustedSender: SenderCheck
): () => void {
  const channels: string[] = []
  for (const methodName of Object.keys(contract.methods)) {
    const channel = methodChannel(methodName)
    ipcMain.handle(channel, async (event, ...args: unknown[]): Promise<Result<unknown>> => {
      if (!isTrustedSender(event)) return err('forbidden', 'This call did not come from the Tessera window.')
      if (args.length > 1) return err('bad-request', 'A call takes one argument.')
      return dispatcher.call(methodName, args[0])
    })
    channels.push(channel)
  }
  return () => channels.forEach((channel) => ipcMain.removeHandler(channel))
}

/** The sender check for one window: its main frame, showing the app's own page. */
export function mainFrameSenderCheck(
  getContents: () => WebContents | undefined,
  isAppUrl: (url: string) => boolean
): SenderCheck {
  return (event) => {
    const contents = getContents()
    const frame = event.senderFrame
    if (!contents || contents.isDestroyed() || !frame) return false
    if (event.sender !== contents) return false
    if (frame !== contents.mainFrame) return false
    return isAppUrl(frame.url)
  }
}

/** Forwards core events to a window's renderer on their derived channels. */
export function forwardEventsTo(
  subscribeAll: (listener: (eventName: string, payload: unknown) => void) => () => void,
  getContents: () => WebContents | undefined
): () => void {
  return subscribeAll((eventName, payload) => {
    const contents = getContents()
    if (contents && !contents.isDestroyed()) contents.send(eventChannel(eventName), payload)
  })
}
