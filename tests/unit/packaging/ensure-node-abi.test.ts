import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { EnsureDeps } from '../../../scripts/ensure-node-abi.mjs'
import {
  abiSpecificModules,
  classifyLoadError,
  ensureNodeAbi,
  findBrokenModules,
  probeModule
} from '../../../scripts/ensure-node-abi.mjs'

// Node's own wording (src/node_binding.cc) when a module built for Electron 45
// is loaded by Node 20.
const electronBuiltMessage =
  "The module '/x/node_modules/better-sqlite3/build/Release/better_sqlite3.node'\n" +
  'was compiled against a different Node.js version using\n' +
  'NODE_MODULE_VERSION 140. This version of Node.js requires\n' +
  'NODE_MODULE_VERSION 115. Please try re-compiling or re-installing\n' +
  'the module (for instance, using `npm rebuild` or `npm install`).'
const missingBinaryMessage = 'Could not locate the bindings file. Tried:\n → /x/build/better_sqlite3.node'

describe('classifyLoadError', () => {
  it('recognises an ABI mismatch, a missing binary and anything else', () => {
    expect(classifyLoadError(new Error(electronBuiltMessage))).toBe('abi-mismatch')
    expect(classifyLoadError(new Error("Module did not self-register: '/x/better_sqlite3.node'."))).toBe('abi-mismatch')
    expect(classifyLoadError(new Error(missingBinaryMessage))).toBe('missing-binary')
    expect(classifyLoadError(new Error('/x/better_sqlite3.node: file too short'))).toBe('other')
    expect(classifyLoadError(new Error("Cannot find module 'better-sqlite3'"))).toBe('other')
  })
})

describe('ensureNodeAbi', () => {
  const failing = (messages: Record<string, string>) => (name: string) => {
    const message = messages[name]
    if (message !== undefined) throw new Error(message)
  }

  /** Records every side effect; nothing touches the real node_modules. */
  function fakeDeps(overrides: Partial<EnsureDeps> & { cached?: string[]; rebuildOk?: boolean; recheckResults?: boolean[] }) {
    const calls = { rebuilt: [] as string[][], restored: [] as string[][], remembered: [] as { names: string[]; overwrite: boolean }[], rechecks: 0 }
    const recheckResults = [...(overrides.recheckResults ?? [true])]
    const deps: EnsureDeps = {
      probe: () => undefined,
      rebuild: (names) => (calls.rebuilt.push(names), overrides.rebuildOk ?? true),
      recheck: () => (calls.rechecks++, recheckResults.shift() ?? true),
      restore: (names) => {
        calls.restored.push(names)
        return names.filter((name) => overrides.cached?.includes(name))
      },
      remember: (names, options) => calls.remembered.push({ names, overwrite: options?.overwrite ?? false }),
      log: () => {},
      ...overrides
    }
    return { deps, calls }
  }

  it('does nothing but fill the cache when every module loads', () => {
    const { deps, calls } = fakeDeps({})
    expect(ensureNodeAbi(deps)).toEqual({ ok: true, rebuilt: [], restored: [] })
    expect(calls.rebuilt).toEqual([])
    expect(calls.remembered).toEqual([{ names: abiSpecificModules, overwrite: false }])
  })

  it('restores cached Node binaries instead of compiling when it has them', () => {
    const { deps, calls } = fakeDeps({
      probe: failing({ 'better-sqlite3': electronBuiltMessage, 'better-sqlite3-multiple-ciphers': electronBuiltMessage }),
      cached: ['better-sqlite3', 'better-sqlite3-multiple-ciphers']
    })
    expect(ensureNodeAbi(deps)).toEqual({ ok: true, rebuilt: [], restored: ['better-sqlite3', 'better-sqlite3-multiple-ciphers'] })
    expect(calls.rebuilt).toEqual([])
    expect(calls.rechecks).toBe(1)
  })

  it('rebuilds only the mismatched modules when nothing is cached, re-checks, then caches the result', () => {
    const { deps, calls } = fakeDeps({ probe: failing({ 'better-sqlite3-multiple-ciphers': electronBuiltMessage }) })
    expect(ensureNodeAbi(deps)).toEqual({ ok: true, rebuilt: ['better-sqlite3-multiple-ciphers'], restored: [] })
    expect(calls.rebuilt).toEqual([['better-sqlite3-multiple-ciphers']])
    expect(calls.rechecks).toBe(1)
    expect(calls.remembered).toEqual([{ names: ['better-sqlite3-multiple-ciphers'], overwrite: true }])
  })

  it('falls back to a rebuild when the restored binaries still do not load', () => {
    const { deps, calls } = fakeDeps({
      probe: failing({ 'better-sqlite3': electronBuiltMessage }),
      cached: ['better-sqlite3'],
      recheckResults: [false, true]
    })
    expect(ensureNodeAbi(deps)).toEqual({ ok: true, rebuilt: ['better-sqlite3'], restored: [] })
    expect(calls.rechecks).toBe(2)
  })

  it('fails when the re-check after a rebuild still cannot load the module', () => {
    const { deps, calls } = fakeDeps({ probe: failing({ 'better-sqlite3': electronBuiltMessage }), recheckResults: [false] })
    const outcome = ensureNodeAbi(deps)
    expect(outcome.ok).toBe(false)
    expect(outcome.problem).toMatch(/still fail to load/)
    expect(calls.remembered).toEqual([])
  })

  it('fails without rebuilding when the cause is not the ABI', () => {
    const { deps, calls } = fakeDeps({ probe: failing({ 'better-sqlite3': "Cannot find module 'better-sqlite3'" }) })
    const outcome = ensureNodeAbi(deps)
    expect(outcome.ok).toBe(false)
    expect(calls.rebuilt).toEqual([])
    expect(calls.restored).toEqual([])
    expect(outcome.problem).toMatch(/better-sqlite3: Cannot find module/)
    expect(outcome.problem).toMatch(/npm ci/)
  })

  it('reports a failed rebuild', () => {
    const { deps } = fakeDeps({ probe: failing({ 'better-sqlite3': missingBinaryMessage }), rebuildOk: false })
    const outcome = ensureNodeAbi(deps)
    expect(outcome.ok).toBe(false)
    expect(outcome.problem).toMatch(/npm rebuild better-sqlite3 failed/)
  })
})

describe('the installed modules under this Node', () => {
  it('load and answer a query', () => {
    expect(abiSpecificModules).toEqual(['better-sqlite3', 'better-sqlite3-multiple-ciphers'])
    expect(findBrokenModules(abiSpecificModules, probeModule)).toEqual([])
  })

  it('make the script a fast no-op', () => {
    const started = Date.now()
    const result = spawnSync(process.execPath, [resolve('scripts/ensure-node-abi.mjs')], { encoding: 'utf8' })
    expect(result.status, result.stderr).toBe(0)
    expect(result.stderr).toBe('')
    expect(Date.now() - started).toBeLessThan(3000)
  })
})
