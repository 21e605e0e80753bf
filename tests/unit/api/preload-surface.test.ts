import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { runInNewContext } from 'node:vm'
import { beforeAll, describe, expect, it } from 'vitest'
import { tesseraContract } from '../../../src/shared/api/contract'
import { eventChannel, methodChannel, subscriptionName } from '../../../src/shared/api/contract-kit'
import { ensureBuilt } from '../../support/built-app'

/**
 * Runs the BUILT preload (out/preload/index.cjs, what Electron loads) in a
 * fresh V8 context whose `require` knows only a recording 'electron'.
 */
async function loadBuiltPreload() {
  const source = await readFile(join(ensureBuilt(), 'preload', 'index.cjs'), 'utf8')
  const exposed: Record<string, Record<string, unknown>> = {}
  const invoked: Array<[string, unknown[]]> = []
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>()
  const required: string[] = []
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => (exposed[key] = api) },
    ipcRenderer: {
      invoke: async (channel: string, ...args: unknown[]) => {
        invoked.push([channel, args])
        return { ok: true, value: channel }
      },
      on: (channel: string, listener: (...args: unknown[]) => void) => {
        const set = listeners.get(channel) ?? new Set()
        set.add(listener)
        listeners.set(channel, set)
      },
      removeListener: (channel: string, listener: (...args: unknown[]) => void) => listeners.get(channel)?.delete(listener)
    }
  }
  const require = (name: string) => {
    required.push(name)
    if (name === 'electron') return electron
    throw new Error(`a sandboxed preload cannot require ${name}`)
  }
  const module = { exports: {} }
  runInNewContext(source, { require, module, exports: module.exports, console })
  return { exposed, invoked, listeners, required }
}

describe('the built preload exposes exactly the contract', () => {
  let preload: Awaited<ReturnType<typeof loadBuiltPreload>>
  beforeAll(async () => {
    preload = await loadBuiltPreload()
  })

  it('requires nothing but electron (a sandboxed preload cannot)', () => {
    expect([...new Set(preload.required)]).toEqual(['electron'])
  })

  it('exposes only window.tessera, with one function per method and one onX per event', () => {
    expect(Object.keys(preload.exposed)).toEqual(['tessera'])
    const api = preload.exposed['tessera']!
    const expected = [
      ...Object.keys(tesseraContract.methods),
      ...Object.keys(tesseraContract.events).map(subscriptionName)
    ].sort()
    expect(Object.keys(api).sort()).toEqual(expected)
    for (const value of Object.values(api)) expect(typeof value).toBe('function')
    for (const forbidden of ['invoke', 'send', 'sendSync', 'on', 'process', 'env', 'ipcRenderer', 'require']) {
      expect(api).not.toHaveProperty(forbidden)
    }
    expect(Object.isFrozen(api)).toBe(true)
  })

  it('sends each method on its own channel with exactly one argument', async () => {
    const api = preload.exposed['tessera']! as Record<string, (input?: unknown) => Promise<unknown>>
    for (const name of Object.keys(tesseraContract.methods)) {
      await api[name]!({ probe: name })
    }
    expect(preload.invoked).toEqual(Object.keys(tesseraContract.methods).map((name) => [methodChannel(name), [{ probe: name }]]))
  })

  it('delivers only the payload of an event (never the IpcRendererEvent) and unsubscribes', () => {
    const api = preload.exposed['tessera']! as Record<string, (handler: (payload: unknown) => void) => () => void>
    const received: unknown[] = []
    const unsubscribe = api['onSettingsChanged']!((payload) => received.push(payload))
    const channel = eventChannel('settingsChanged')
    const fakeEvent = { sender: { send: () => {} }, senderFrame: {} }
    for (const listener of preload.listeners.get(channel) ?? []) listener(fakeEvent, { theme: 'dark' })
    expect(received).toEqual([{ theme: 'dark' }])
    unsubscribe()
    expect(preload.listeners.get(channel)?.size).toBe(0)
    expect(() => api['onSettingsChanged']!('not a function' as never)).toThrow(/needs a function/)
  })
})
