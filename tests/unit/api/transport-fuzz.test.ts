import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { IpcMainInvokeEvent } from 'electron'
import { WebSocket } from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tesseraContract } from '../../../src/shared/api/contract'
import { methodChannel } from '../../../src/shared/api/contract-kit'
import { isApiErrorCode } from '../../../src/shared/api/error-codes'
import { composeCore } from '../../../src/main/core/compose'
import type { Core } from '../../../src/main/core/compose'
import { KeytarVault } from '../../../src/main/core/keys/keytar-vault'
import { silentLogger } from '../../../src/main/core/log/logger'
import { registerIpcHost } from '../../../src/main/shell/ipc-host'
import type { TestHost } from '../../host/test-host'
import { startTestHost } from '../../host/test-host'
import { HOST_WS_PATH } from '../../host/ws-frames'
import { ensureBuilt } from '../../support/built-app'
import { fuzzPayloads } from '../../support/fuzz-payloads'

const FUZZ_CASES = 10_000
const METHOD_NAMES = Object.keys(tesseraContract.methods)

function expectResultShape(result: unknown): void {
  expect(result).toBeTypeOf('object')
  const value = result as { ok: unknown; error?: { code: unknown; message: unknown } }
  expect(typeof value.ok).toBe('boolean')
  if (!value.ok) {
    expect(isApiErrorCode(value.error?.code)).toBe(true)
    expect(typeof value.error?.message).toBe('string')
  }
}

describe('fuzz: every payload through the Electron IPC host gets a Result', () => {
  let core: Core
  let profileDir: string
  beforeAll(async () => {
    profileDir = await mkdtemp(join(tmpdir(), 'tessera-fuzz-ipc-'))
    core = await composeCore({
      profileDir,
      appInfo: { name: 'Tessera', version: '0', platform: 'linux', arch: 'x64', profile: 'fuzz', runtime: 'electron' },
      platform: { runtime: 'electron', confirmAndOpenExternal: async () => false },
      secretVault: new KeytarVault(),
      log: silentLogger
    })
  })
  afterAll(async () => {
    await core.dispose()
    await rm(profileDir, { recursive: true, force: true })
  })

  it(`handles ${FUZZ_CASES} random and mutated payloads`, async () => {
    const handlers = new Map<string, (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>>()
    const ipcMain = {
      handle: (channel: string, handler: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>) => handlers.set(channel, handler),
      removeHandler: (channel: string) => handlers.delete(channel)
    }
    let trusted = true
    registerIpcHost(ipcMain as never, tesseraContract, core.dispatcher, () => trusted)
    expect([...handlers.keys()].sort()).toEqual(METHOD_NAMES.map(methodChannel).sort())

    const cases = fuzzPayloads(FUZZ_CASES, 20261127, METHOD_NAMES)
    const counts = { ok: 0, failed: 0, forbidden: 0 }
    for (const [index, [name, payload]] of cases.entries()) {
      trusted = index % 17 !== 0 // every 17th call comes from a frame that is not ours
      const extraArgs = index % 23 === 0 ? [payload] : [] // and some send more than one argument
      const result = (await handlers.get(methodChannel(name))!({} as IpcMainInvokeEvent, payload, ...extraArgs)) as {
        ok: boolean
        error?: { code: string }
      }
      expectResultShape(result)
      if (!trusted) expect(result.error?.code).toBe('forbidden')
      if (result.ok) counts.ok++
      else if (result.error?.code === 'forbidden') counts.forbidden++
      else counts.failed++
    }
    expect(counts.ok + counts.failed + counts.forbidden).toBe(FUZZ_CASES)
    expect(counts.ok).toBeGreaterThan(0) // the mutations keep some calls valid, so handlers did run
    expect(await core.dispatcher.call('getSettings', undefined)).toMatchObject({ ok: true })
  }, 120_000)
})

describe('fuzz: every frame through the test host WebSocket gets exactly one result frame', () => {
  let host: TestHost
  let profileDir: string
  beforeAll(async () => {
    profileDir = await mkdtemp(join(tmpdir(), 'tessera-fuzz-ws-'))
    host = await startTestHost({ profileDir, rendererDir: join(ensureBuilt(), 'renderer') })
  })
  afterAll(async () => {
    await host.close()
    await rm(profileDir, { recursive: true, force: true })
  })

  async function connect(): Promise<WebSocket> {
    const origin = host.url.replace(/\/$/, '')
    const socket = new WebSocket(`${origin.replace('http', 'ws')}${HOST_WS_PATH}?token=${host.token}`, { origin })
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))
    return socket
  }

  it(`answers ${FUZZ_CASES} random, mutated and malformed frames, and keeps serving`, async () => {
    const socket = await connect()
    const frames: Array<string | Buffer> = fuzzPayloads(FUZZ_CASES, 1127, METHOD_NAMES).map(([method, input], id) => {
      if (id % 10 === 3) return Buffer.from([id % 256, 0xff, 0x00]) // binary frame
      if (id % 10 === 5) return JSON.stringify({ id, method, input }).slice(0, 1 + (id % 40)) // truncated JSON
      if (id % 10 === 7) return JSON.stringify({ id: -id, method: { method }, input }) // wrong types
      return JSON.stringify({ id, method, input: input === undefined ? undefined : input })
    })
    const results: Array<{ id: number | null; result: unknown }> = []
    const done = new Promise<void>((resolve) => {
      socket.on('message', (data) => {
        const frame = JSON.parse(String(data))
        if ('result' in frame) results.push(frame)
        if (results.length === frames.length) resolve()
      })
    })
    for (const frame of frames) socket.send(frame, { binary: typeof frame !== 'string' })
    await done
    expect(results).toHaveLength(FUZZ_CASES)
    for (const { result } of results) expectResultShape(result)
    const answeredIds = new Set(results.map((frame) => frame.id).filter((id) => id !== null))
    frames.forEach((frame, id) => {
      if (typeof frame === 'string' && id % 10 !== 5 && id % 10 !== 7) expect(answeredIds.has(id)).toBe(true)
    })
    socket.close()

    // Still serving: a fresh connection gets a normal answer.
    const fresh = await connect()
    const reply = new Promise<unknown>((resolve) => fresh.once('message', (data) => resolve(JSON.parse(String(data)))))
    fresh.send(JSON.stringify({ id: 1, method: 'getAppInfo' }))
    expect(await reply).toMatchObject({ id: 1, result: { ok: true, value: { name: 'Tessera', runtime: 'test-host' } } })
    fresh.close()
  }, 120_000)
})
