#!/usr/bin/env node
// Makes the SQLite native modules loadable by the Node that runs the tests.
//
// better-sqlite3 and better-sqlite3-multiple-ciphers are not N-API: one build
// serves either Node (tests, tools) or Electron (the app), never both. `npm run
// dev` and `npm run package:*` rebuild them for Electron (`electron-builder
// install-app-deps`); `npm test` runs this script first (pretest), which
// rebuilds them for Node only when they do not load. keytar is N-API and needs
// nothing. The nested better-sqlite3@11 under @nostr-relay (benchmarks only) is
// a devDependency that install-app-deps never touches, so it is left alone.
//
// A binary that loads under this Node is kept in node_modules/.cache (keyed by
// package version, platform, arch and ABI), so switching back after `npm run
// dev` is a file copy instead of a 1-3 minute compile. `npm ci` wipes the cache
// together with the binaries it belongs to.
//
// Usage: node scripts/ensure-node-abi.mjs          check, rebuild if needed, re-check
//        node scripts/ensure-node-abi.mjs --check  check only (exit 1 on failure)
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** The non-N-API modules the app ships; their binaries are ABI-specific. */
export const abiSpecificModules = ['better-sqlite3', 'better-sqlite3-multiple-ciphers']

/**
 * Classifies a load error: 'abi-mismatch' (built for another runtime, e.g.
 * Electron), 'missing-binary' (never built or a rebuild died half-way), or
 * 'other' (anything a rebuild would not fix, e.g. a broken install).
 * @param {unknown} error
 * @returns {'abi-mismatch' | 'missing-binary' | 'other'}
 */
export function classifyLoadError(error) {
  const message = error instanceof Error ? error.message : String(error)
  // "did not self-register": the binary registers for another ABI (or a stale
  // copy was dlopen()ed earlier); a rebuild for this Node fixes both.
  if (/NODE_MODULE_VERSION|compiled against a different Node\.js version|Module did not self-register/.test(message)) {
    return 'abi-mismatch'
  }
  if (/Could not locate the bindings file/.test(message)) return 'missing-binary'
  return 'other'
}

/**
 * Loads one module from the project root and runs a query in an in-memory
 * database: the native binary is only opened by the Database constructor.
 * @param {string} name
 */
export function probeModule(name) {
  const requireFromRoot = createRequire(join(projectRoot, 'package.json'))
  const Database = requireFromRoot(name)
  const db = new Database(':memory:')
  try {
    const row = db.prepare('select 40 + 2 as answer').get()
    if (row?.answer !== 42) throw new Error(`${name}: unexpected query result ${JSON.stringify(row)}`)
  } finally {
    db.close()
  }
}

/**
 * @param {string[]} names
 * @param {(name: string) => void} probe
 * @returns {{ name: string, kind: 'abi-mismatch' | 'missing-binary' | 'other', message: string }[]}
 */
export function findBrokenModules(names, probe) {
  const broken = []
  for (const name of names) {
    try {
      probe(name)
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      broken.push({ name, kind: classifyLoadError(error), message: message.split('\n')[0] ?? message })
    }
  }
  return broken
}

/**
 * Rebuilds exactly the top-level copies (a directory spec, so npm does not
 * also rebuild nested copies such as @nostr-relay's better-sqlite3@11) for the
 * Node that runs this script. Electron-targeting settings are removed from the
 * environment; `nodedir` (root's npm config points it at /usr on the build
 * machine) is kept because for Node those headers are exactly right.
 * @param {string[]} names
 */
export function rebuildForNode(names) {
  const env = { ...process.env }
  for (const key of Object.keys(env)) {
    if (/^npm_config_(runtime|target|disturl|arch|target_arch)$/i.test(key)) delete env[key]
  }
  const specs = names.map((name) => `./node_modules/${name}`)
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const result = spawnSync(npm, ['rebuild', '--foreground-scripts', ...specs], {
    cwd: projectRoot,
    env,
    stdio: 'inherit',
    shell: process.platform === 'win32'
  })
  return result.status === 0
}

function binaryPath(name) {
  return join(projectRoot, 'node_modules', name, 'build', 'Release', 'better_sqlite3.node')
}

function cachedBinaryPath(name) {
  const { version } = JSON.parse(readFileSync(join(projectRoot, 'node_modules', name, 'package.json'), 'utf8'))
  const key = `${name}@${version}-${process.platform}-${process.arch}-abi${process.versions.modules}.node`
  return join(projectRoot, 'node_modules', '.cache', 'tessera-native-abi', key)
}

/**
 * Stores the binaries of `names` (known to load under this Node) in the cache.
 * @param {string[]} names
 * @param {{ overwrite?: boolean }} [options] overwrite after a fresh rebuild; otherwise only fill gaps
 */
export function rememberNodeBinaries(names, { overwrite = false } = {}) {
  for (const name of names) {
    const cached = cachedBinaryPath(name)
    if (!overwrite && existsSync(cached)) continue
    mkdirSync(dirname(cached), { recursive: true })
    copyFileSync(binaryPath(name), cached)
  }
}

/**
 * Copies cached Node binaries back over the installed ones.
 * @param {string[]} names
 * @returns {string[]} the names that had a cached binary
 */
export function restoreNodeBinaries(names) {
  const restored = []
  for (const name of names) {
    const cached = cachedBinaryPath(name)
    if (!existsSync(cached)) continue
    mkdirSync(dirname(binaryPath(name)), { recursive: true })
    copyFileSync(cached, binaryPath(name))
    restored.push(name)
  }
  return restored
}

/** Re-checks in a fresh process: a failed dlopen may linger in this one. */
function recheckInFreshProcess() {
  const result = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--check'], { stdio: 'inherit' })
  return result.status === 0
}

/**
 * @param {{ names?: string[], probe?: (name: string) => void, rebuild?: (names: string[]) => boolean,
 *   recheck?: () => boolean, restore?: (names: string[]) => string[],
 *   remember?: (names: string[], options?: { overwrite?: boolean }) => void, log?: (line: string) => void }} [deps]
 * @returns {{ ok: boolean, rebuilt: string[], restored: string[], problem?: string }}
 */
export function ensureNodeAbi(deps = {}) {
  const {
    names = abiSpecificModules,
    probe = probeModule,
    rebuild = rebuildForNode,
    recheck = recheckInFreshProcess,
    restore = restoreNodeBinaries,
    remember = rememberNodeBinaries,
    log = (line) => console.error(line)
  } = deps
  const broken = findBrokenModules(names, probe)
  if (broken.length === 0) {
    remember(names)
    return { ok: true, rebuilt: [], restored: [] }
  }

  const unfixable = broken.filter((entry) => entry.kind === 'other')
  if (unfixable.length > 0) {
    const details = unfixable.map((entry) => `  ${entry.name}: ${entry.message}`).join('\n')
    return {
      ok: false,
      rebuilt: [],
      restored: [],
      problem: `These native modules fail to load for a reason a rebuild does not fix:\n${details}\nTry a clean install: rm -rf node_modules && npm ci`
    }
  }

  const toFix = broken.map((entry) => entry.name)
  const summary = broken.map((entry) => `${entry.name} (${entry.kind})`).join(', ')
  const restored = restore(toFix)
  if (restored.length === toFix.length && recheck()) {
    log(`ensure-node-abi: ${summary}; restored the cached Node ${process.versions.node} binaries.`)
    return { ok: true, rebuilt: [], restored }
  }

  log(`ensure-node-abi: ${summary}; rebuilding for Node ${process.versions.node} (ABI ${process.versions.modules})...`)
  if (!rebuild(toFix)) {
    return { ok: false, rebuilt: [], restored: [], problem: `npm rebuild ${toFix.join(' ')} failed (it needs python3, make and a C++ compiler, or a prebuilt binary download).` }
  }
  if (!recheck()) {
    return { ok: false, rebuilt: toFix, restored: [], problem: `${toFix.join(', ')} still fail to load under Node after the rebuild.` }
  }
  remember(toFix, { overwrite: true })
  log(`ensure-node-abi: rebuilt ${toFix.join(', ')} for Node.`)
  return { ok: true, rebuilt: toFix, restored: [] }
}

function main() {
  if (process.argv.includes('--check')) {
    const broken = findBrokenModules(abiSpecificModules, probeModule)
    for (const entry of broken) console.error(`ensure-node-abi: ${entry.name} (${entry.kind}): ${entry.message}`)
    process.exit(broken.length === 0 ? 0 : 1)
  }
  const outcome = ensureNodeAbi()
  if (!outcome.ok) {
    console.error(`ensure-node-abi: ${outcome.problem}`)
    process.exit(1)
  }
}

const invokedDirectly = process.argv[1] !== undefined && pathToFileURL(resolve(process.argv[1])).href === import.meta.url
if (invokedDirectly) main()
