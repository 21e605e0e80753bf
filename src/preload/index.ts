import type { IpcRendererEvent } from 'electron'
import { contextBridge, ipcRenderer } from 'electron'
import { buildBridgeApi } from '../shared/api/bridge'
import { tesseraContract } from '../shared/api/contract'
import { eventChannel, methodChannel } from '../shared/api/contract-kit'
import type { Result } from '../shared/api/result'

/**
 * The whole preload: `window.tessera` with one function per contract method
 * and one `onX` per event. No generic invoke/send/on, no sendSync, no
 * process or env (docs/architecture.md). Input is validated in main.
 */
const api = buildBridgeApi(tesseraContract, {
  call: (methodName, input) => ipcRenderer.invoke(methodChannel(methodName), input) as Promise<Result<unknown>>,
  subscribe: (eventName, handler) => {
    const channel = eventChannel(eventName)
    // The IpcRendererEvent (with its sender) never reaches the page: only the payload does.
    const listener = (_event: IpcRendererEvent, payload: unknown): void => handler(payload)
    ipcRenderer.on(channel, listener)
    return () => {
      ipcRenderer.removeListener(channel, listener)
    }
  }
})

contextBridge.exposeInMainWorld('tessera', api)
