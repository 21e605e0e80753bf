import type { Mock } from 'vitest'
import { describe, expect, it, vi } from 'vitest'
import { tesseraContract } from '../../../src/shared/api/contract'
import type { ContractHandlers } from '../../../src/shared/api/contract-kit'
import type { TesseraContract } from '../../../src/shared/api/contract'
import { AppError } from '../../../src/main/core/api/app-error'
import { createDispatcher } from '../../../src/main/core/api/dispatcher'
import { silentLogger } from '../../../src/main/core/log/logger'

type SpyHandlers = Record<string, Mock<(input: unknown) => Promise<unknown>>>

function spyHandlers(): SpyHandlers {
  return Object.fromEntries(
    Object.keys(tesseraContract.methods).map((name) => [name, vi.fn(async (_input: unknown): Promise<unknown> => `${name} ran`)])
  ) as unknown as SpyHandlers
}

/** Inputs no method of the contract accepts (each has either no input or a strict object with required fields). */
const INVALID_FOR_EVERY_METHOD: unknown[] = [42, 'text', [], null, true, { zzUnknownField: true }, [{ url: 'https://x' }]]

describe('dispatcher: validate at the edge', () => {
  it.each(Object.keys(tesseraContract.methods))('%s rejects invalid input with a typed error, without calling its handler', async (name) => {
    const handlers = spyHandlers()
    const dispatcher = createDispatcher(tesseraContract, handlers as unknown as ContractHandlers<TesseraContract>, silentLogger)
    for (const input of INVALID_FOR_EVERY_METHOD) {
      const result = await dispatcher.call(name, input)
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    }
    expect(handlers[name]).not.toHaveBeenCalled()
  })

  it('rejects method-specific invalid input', async () => {
    const handlers = spyHandlers()
    const dispatcher = createDispatcher(tesseraContract, handlers as unknown as ContractHandlers<TesseraContract>, silentLogger)
    for (const [name, input] of [
      ['updateSettings', { theme: 'neon' }],
      ['updateSettings', { notifications: 'loud' }],
      ['updateSettings', { homeRelayUrl: 'http://not-a-websocket' }],
      ['openExternalLink', { url: 5 }],
      ['openExternalLink', { url: 'https://x', extra: 1 }],
      ['openExternalLink', { url: 'x'.repeat(5000) }]
    ] as const) {
      expect(await dispatcher.call(name, input)).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    }
    expect(handlers['updateSettings']).not.toHaveBeenCalled()
    expect(handlers['openExternalLink']).not.toHaveBeenCalled()
  })

  it('passes parsed input to the handler and wraps its value', async () => {
    const handlers = spyHandlers()
    const dispatcher = createDispatcher(tesseraContract, handlers as unknown as ContractHandlers<TesseraContract>, silentLogger)
    expect(await dispatcher.call('updateSettings', { theme: 'dark' })).toEqual({ ok: true, value: 'updateSettings ran' })
    expect(handlers['updateSettings']).toHaveBeenCalledWith({ theme: 'dark' })
  })

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'call', '', 'getappinfo'])(
    'refuses %j, which is not a method of the contract',
    async (name) => {
      const dispatcher = createDispatcher(tesseraContract, spyHandlers() as unknown as ContractHandlers<TesseraContract>, silentLogger)
      expect(dispatcher.hasMethod(name)).toBe(false)
      expect(await dispatcher.call(name, undefined)).toMatchObject({ ok: false, error: { code: 'bad-request' } })
    }
  )

  it('keeps an AppError code and message, and hides anything else', async () => {
    const handlers = spyHandlers()
    handlers['getSettings']!.mockRejectedValueOnce(new AppError('locked', 'The keychain is locked.'))
    const secretPath = '/home/alice/.config/Tessera/db.sqlite key=00112233'
    const failure = new Error(`ENOENT: ${secretPath}`)
    handlers['getAppInfo']!.mockRejectedValueOnce(failure)
    const logged: unknown[] = []
    const log = { ...silentLogger, error: (event: string, fields?: Record<string, unknown>) => logged.push([event, fields]) }
    const dispatcher = createDispatcher(tesseraContract, handlers as unknown as ContractHandlers<TesseraContract>, log)

    expect(await dispatcher.call('getSettings', undefined)).toEqual({ ok: false, error: { code: 'locked', message: 'The keychain is locked.' } })
    const hidden = await dispatcher.call('getAppInfo', undefined)
    expect(hidden).toMatchObject({ ok: false, error: { code: 'internal' } })
    const crossed = JSON.stringify(hidden)
    expect(crossed).not.toContain('alice')
    expect(crossed).not.toContain('00112233')
    expect(crossed).not.toContain('at ') // no stack frames
    expect(JSON.stringify(logged)).not.toContain('00112233')
  })
})
