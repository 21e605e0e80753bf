import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
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

  it('does nothing when every module loads', () => {
    let rebuilds = 0
    const outcome = ensureNodeAbi({ probe: () => undefined, rebuild: () => ++rebuilds > 0, recheck: () => true, log: () => {} })
    expect(outcome).toEqual({ ok: true, rebuilt: [] })
    expect(rebuilds).toBe(0)
  })

  it('rebuilds only the mismatched modules, then re-checks', () => {
    const rebuilt: string[][] = []
    let rechecks = 0
    const outcome = ensureNodeAbi({
      probe: failing({ 'better-sqlite3-multiple-ciphers': electronBuiltMessage }),
      rebuild: (names) => (rebuilt.push(names), true),
      recheck: () => (rechecks++, true),
      log: () => {}
    })
    expect(outcome).toEqual({ ok: true, rebuilt: ['better-sqlite3-multiple-ciphers'] })
    expect(rebuilt).toEqual([['better-sqlite3-multiple-ciphers']])
    expect(rechecks).toBe(1)
  })

  it('fails when the re-check still cannot load the module', () => {
    const outcome = ensureNodeAbi({
      probe: failing({ 'better-sqlite3': electronBuiltMessage }),
      rebuild: () => true,
      recheck: () => false,
      log: () => {}
    })
    expect(outcome.ok).toBe(false)
    expect(outcome.problem).toMatch(/still fail to load/)
  })

  it('fails without rebuilding when the cause is not the ABI', () => {
    let rebuilds = 0
    const outcome = ensureNodeAbi({
      probe: failing({ 'better-sqlite3': "Cannot find module 'better-sqlite3'" }),
      rebuild: () => ++rebuilds > 0,
      recheck: () => true,
      log: () => {}
    })
    expect(outcome.ok).toBe(false)
    expect(rebuilds).toBe(0)
    expect(outcome.problem).toMatch(/better-sqlite3: Cannot find module/)
    expect(outcome.problem).toMatch(/npm ci/)
  })

  it('reports a failed rebuild', () => {
    const outcome = ensureNodeAbi({ probe: failing({ 'better-sqlite3': missingBinaryMessage }), rebuild: () => false, log: () => {} })
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
