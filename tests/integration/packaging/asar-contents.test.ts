import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, posix, resolve } from 'node:path'
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFuses, writeStandInElectron } from './stand-in-electron'

// Packs the real electron-vite output with the real electron-builder.yml into
// an unpacked Linux app (`--linux dir`), using a stand-in Electron folder
// because the Electron binary cannot be downloaded here, and checks what the
// user would receive. Installers (AppImage, deb, dmg, nsis) are built by
// .github/workflows/release.yml on real machines.
const projectRoot = resolve(import.meta.dirname, '../../..')
const asar = createRequire(import.meta.url)('@electron/asar') as {
  listPackage(archive: string, options?: { isPack: boolean }): string[]
  statFile(archive: string, filename: string, followLinks?: boolean): { unpacked?: boolean }
  extractAll(archive: string, dest: string): void
}

let workDir = ''
let resourcesDir = ''
let appOutDir = ''
let entries: string[] = []

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: projectRoot, encoding: 'utf8', env: { ...process.env, CI: 'true' } })
  if (result.status !== 0) {
    throw new Error(`${[command, ...args].join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`)
  }
}

function ensureBuilt(): void {
  const outputs = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html']
  if (outputs.every((file) => existsSync(join(projectRoot, file)))) return
  run(process.execPath, [join(projectRoot, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'])
}

beforeAll(() => {
  ensureBuilt()
  workDir = mkdtempSync(join(tmpdir(), 'tessera-pack-'))
  const electronDist = writeStandInElectron(join(workDir, 'electron-dist'))
  run(process.execPath, [
    join(projectRoot, 'node_modules/electron-builder/cli.js'),
    '--linux', 'dir',
    '--x64',
    '--publish', 'never',
    // Never rebuild the shared node_modules for Electron from a test: that
    // would need Electron's headers (a download) and would break every other
    // test that loads better-sqlite3 under Node.
    '-c.npmRebuild=false',
    `-c.electronDist=${electronDist}`,
    `-c.directories.output=${join(workDir, 'release')}`
  ])
  appOutDir = join(workDir, 'release', 'linux-unpacked')
  resourcesDir = join(appOutDir, 'resources')
  entries = asar.listPackage(join(resourcesDir, 'app.asar')).map((entry) => entry.replaceAll('\\', '/'))
}, 120_000)

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true })
})

const shippedPackages = () =>
  new Set(
    entries
      .map((entry) => /^\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(entry)?.[1])
      .filter((name): name is string => name !== undefined)
  )

describe('app.asar', () => {
  it('holds the three bundles and package.json', () => {
    expect(entries).toEqual(
      expect.arrayContaining(['/package.json', '/out/main/index.js', '/out/preload/index.cjs', '/out/renderer/index.html'])
    )
    expect(entries.some((entry) => /^\/out\/renderer\/assets\/[^/]+\.js$/.test(entry))).toBe(true)
  })

  it('holds nothing from the source tree, the tests, the test host or the build tooling', () => {
    const topLevel = new Set(entries.map((entry) => entry.split('/')[1]))
    expect([...topLevel].sort()).toEqual(['node_modules', 'out', 'package.json', 'resources'])
    const resources = entries.filter((entry) => entry.startsWith('/resources/') && !entry.endsWith('/tray'))
    expect(resources.sort()).toEqual([
      '/resources/icon.png',
      '/resources/tray/tray.png',
      '/resources/tray/tray@2x.png',
      '/resources/tray/trayTemplate.png',
      '/resources/tray/trayTemplate@2x.png'
    ])
    const outside = entries.filter((entry) => /test-host|\/tests?\/|\.test\.[cm]?js$/.test(entry) && !entry.startsWith('/node_modules/'))
    expect(outside).toEqual([])
  })

  it('holds no source maps and no TypeScript sources', () => {
    expect(entries.filter((entry) => entry.endsWith('.map'))).toEqual([])
    expect(entries.filter((entry) => /\.(?:ts|tsx|mts|cts)$/.test(entry))).toEqual([])
  })

  it('ships production dependencies only: renderer and dev packages are bundled or absent', () => {
    const shipped = shippedPackages()
    for (const name of ['better-sqlite3', 'better-sqlite3-multiple-ciphers', 'keytar', 'electron-updater', 'libsodium-wrappers-sumo', 'sodium-native', 'require-addon']) {
      expect(shipped, name).toContain(name)
    }
    const devOnly = ['solid-js', 'qrcode', 'jsqr', '@zxing/library', 'electron', 'electron-builder', 'electron-vite', 'vite', 'vitest',
      'typescript', 'playwright-core', '@signalapp/libsignal-client', '@nostr-relay/core', 'fast-check', 'eslint']
    expect(devOnly.filter((name) => shipped.has(name))).toEqual([])
    const manifest = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> }
    expect(Object.keys(manifest.devDependencies ?? {}).filter((name) => shipped.has(name))).toEqual([])
  })

  it('keeps native build leftovers and C sources out', () => {
    const leftovers = entries.filter((entry) =>
      /\/build\/Release\/obj(?:\.target)?\/|\/test_extension\.node$|\/better-sqlite3[^/]*\/(?:deps|src)\/|\.(?:a|o|cc|cpp|c|h)$/.test(entry)
    )
    expect(leftovers).toEqual([])
  })

  it('marks every native .node file unpacked, and the unpacked copies exist', () => {
    const archive = join(resourcesDir, 'app.asar')
    const nativeFiles = entries.filter((entry) => entry.endsWith('.node'))
    for (const expected of [
      '/node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      '/node_modules/better-sqlite3-multiple-ciphers/build/Release/better_sqlite3.node',
      '/node_modules/keytar/build/Release/keytar.node',
      '/node_modules/sodium-native/prebuilds/linux-x64/sodium-native.node'
    ]) {
      expect(nativeFiles).toContain(expected)
    }
    for (const file of nativeFiles) {
      expect(asar.statFile(archive, file.slice(1)).unpacked, file).toBe(true)
      expect(existsSync(join(resourcesDir, 'app.asar.unpacked', file)), file).toBe(true)
    }
  })

  it('ships sodium-native with its desktop prebuilds only (no Android/iOS or Bare-runtime builds)', () => {
    const prebuilds = entries.filter((entry) => entry.startsWith('/node_modules/sodium-native/prebuilds/') && /\.[a-z]+$/.test(entry))
    const platforms = new Set(prebuilds.map((entry) => entry.split('/')[4]))
    expect([...platforms].sort()).toEqual(['darwin-arm64', 'darwin-x64', 'linux-arm64', 'linux-x64', 'win32-arm64', 'win32-x64'])
    expect(prebuilds.filter((entry) => !entry.endsWith('/sodium-native.node'))).toEqual([])
  })

  it('ships everything sodium-native needs to load and compute (X25519 of RFC 7748 section 6.1)', () => {
    // Electron serves app.asar and app.asar.unpacked as one tree; extractAll
    // rebuilds that tree on disk, and plain Node then resolves the package
    // from the main bundle's folder as the app does (curve25519-backend.ts),
    // so a needed file excluded by electron-builder.yml fails here.
    const tree = join(workDir, 'extracted')
    asar.extractAll(join(resourcesDir, 'app.asar'), tree)
    const script = [
      `const native = require('node:module').createRequire(${JSON.stringify(join(tree, 'out', 'main', 'index.js'))})('sodium-native')`,
      `const secret = Buffer.from('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a', 'hex')`,
      'const out = new Uint8Array(32)',
      'native.crypto_scalarmult_base(out, secret)',
      "process.stdout.write(Buffer.from(out).toString('hex'))"
    ].join(';')
    const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' })
    expect(result.stderr).toBe('')
    expect(result.stdout).toBe('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a')
  })

  it('ships, unpacked, every asset the main bundle refers to', () => {
    // electron-vite turns `import x from '…/resources/y.png?asset'` into
    // join(import.meta.dirname, "../../resources/y.png") inside out/main.
    const mainBundle = readFileSync(join(projectRoot, 'out/main/index.js'), 'utf8')
    const assets = [...mainBundle.matchAll(/join\(import\.meta\.dirname, "([^"]+)"\)/g)].map((match) =>
      posix.join('/out/main', match[1] ?? '')
    )
    for (const asset of assets) {
      expect(entries, asset).toContain(asset)
      expect(existsSync(join(resourcesDir, 'app.asar.unpacked', asset)), asset).toBe(true)
    }
  })

  it('unpacks the whole native packages, so `bindings` finds their binaries next to their JS', () => {
    for (const name of ['better-sqlite3', 'better-sqlite3-multiple-ciphers', 'keytar']) {
      const unpacked = join(resourcesDir, 'app.asar.unpacked', 'node_modules', name)
      expect(readdirSync(unpacked), name).toEqual(expect.arrayContaining(['package.json', 'lib']))
    }
  })
})

describe('the packaged executable', () => {
  it('has the security fuses flipped', () => {
    const fuses = readFuses(readFileSync(join(appOutDir, 'tessera')))
    expect(fuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true
    })
  })

  it('carries the update feed file electron-updater reads', () => {
    expect(readFileSync(join(resourcesDir, 'app-update.yml'), 'utf8')).toMatch(/updaterCacheDirName: tessera-updater/)
  })
})
