import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

// The electron-builder settings that only a real installer build on CI would
// otherwise exercise (the --linux dir test cannot see mac/win options).
interface TargetEntry {
  target: string
  arch?: string[]
}
interface BuilderConfig {
  appId: string
  productName: string
  files: string[]
  asarUnpack: string[]
  npmRebuild: boolean
  electronFuses: Record<string, boolean>
  publish: { provider: string; releaseType: string }
  linux: { target: string[]; category: string; icon: string }
  mac: {
    target: TargetEntry[]
    hardenedRuntime: boolean
    entitlements: string
    entitlementsInherit: string
    notarize?: boolean
    icon: string
    extendInfo: Record<string, string>
  }
  win: { target: TargetEntry[]; icon: string }
}

const config = parse(readFileSync('electron-builder.yml', 'utf8')) as BuilderConfig
const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
  dependencies: Record<string, string>
  devDependencies: Record<string, string>
}

function plistKeys(file: string): string[] {
  const xml = readFileSync(file, 'utf8').replace(/<!--[\s\S]*?-->/g, '')
  return [...xml.matchAll(/<key>([^<]+)<\/key>\s*<true\/>/g)].map((match) => match[1] ?? '')
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.(?:ts|tsx)$/.test(name) ? [path] : []
  })
}

/** Bare package names a layer imports ('solid-js/web' counts as 'solid-js'). */
function importedPackages(dirs: string[]): Set<string> {
  const names = new Set<string>()
  for (const file of dirs.flatMap(sourceFiles)) {
    const text = readFileSync(file, 'utf8')
    for (const match of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"./][^'"]*)['"]/g)) {
      const specifier = match[1] ?? ''
      if (specifier.startsWith('node:')) continue
      const parts = specifier.split('/')
      names.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier))
    }
  }
  return names
}

describe('electron-builder.yml', () => {
  it('names the app', () => {
    expect(config.appId).toBe('org.tessera.desktop')
    expect(config.productName).toBe('Tessera')
  })

  it('flips the security fuses', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true
    })
  })

  it('packs only the build output, without source maps, and unpacks the native modules', () => {
    expect(config.files).toEqual(expect.arrayContaining(['out/**', 'package.json', '!**/*.map']))
    expect(config.files.filter((pattern) => !pattern.startsWith('!'))).toEqual(['out/**', 'package.json', 'resources/icon.png', 'resources/tray/**'])
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining([
        '**/*.node',
        'resources/**',
        '**/node_modules/better-sqlite3/**',
        '**/node_modules/better-sqlite3-multiple-ciphers/**',
        '**/node_modules/keytar/**'
      ])
    )
    // Per-arch rebuild for Electron is what gives the mac x64 and arm64 builds their own binaries.
    expect(config.npmRebuild).toBe(true)
  })

  it('builds AppImage and deb, dmg and zip for both Mac architectures, and nsis', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb'])
    expect(config.linux.category.split(';')).toEqual(expect.arrayContaining(['Network', 'InstantMessaging']))
    for (const kind of ['dmg', 'zip']) {
      const entry = config.mac.target.find((target) => target.target === kind)
      expect(entry?.arch, kind).toEqual(['x64', 'arm64'])
    }
    expect(config.win.target.map((target) => target.target)).toEqual(['nsis'])
  })

  it('signs macOS builds with the hardened runtime and minimal entitlements, notarizing when credentials exist', () => {
    expect(config.mac.hardenedRuntime).toBe(true)
    expect(config.mac.notarize).not.toBe(false)
    for (const file of [config.mac.entitlements, config.mac.entitlementsInherit]) {
      const keys = plistKeys(file)
      expect(keys, file).toEqual(expect.arrayContaining(['com.apple.security.cs.allow-jit', 'com.apple.security.device.camera']))
      expect(keys, file).not.toContain('com.apple.security.cs.disable-library-validation')
      expect(keys, file).not.toContain('com.apple.security.cs.allow-unsigned-executable-memory')
    }
    expect(config.mac.extendInfo.NSCameraUsageDescription).toMatch(/QR code/)
  })

  it('points at icons that exist', () => {
    expect(existsSync(config.mac.icon)).toBe(true)
    expect(existsSync(config.win.icon)).toBe(true)
    expect(readdirSync(config.linux.icon)).toEqual(expect.arrayContaining(['256x256.png', '512x512.png']))
  })

  it('publishes to GitHub releases for electron-updater', () => {
    expect(config.publish.provider).toBe('github')
    // release.yml fills one draft from three OS jobs and publishes it at the end.
    expect(config.publish.releaseType).toBe('draft')
    expect(manifest.dependencies).toHaveProperty('electron-updater')
  })
})

describe('package.json dependency split', () => {
  const rendererImports = importedPackages(['src/renderer'])
  const appProcessImports = importedPackages(['src/main', 'src/preload', 'src/shared'])

  it('keeps renderer-only packages in devDependencies, so vite bundles them and they are not shipped twice', () => {
    const rendererOnly = [...rendererImports].filter((name) => !appProcessImports.has(name))
    expect(rendererOnly.filter((name) => name in manifest.dependencies)).toEqual([])
    for (const name of ['solid-js', 'qrcode', 'jsqr']) expect(manifest.dependencies).not.toHaveProperty(name)
  })

  it('keeps the native modules in dependencies: they cannot be bundled and must ship unpacked', () => {
    for (const name of ['better-sqlite3', 'better-sqlite3-multiple-ciphers', 'keytar', 'sodium-native']) {
      expect(manifest.dependencies).toHaveProperty(name)
    }
  })

  it('pins sodium-native exactly: its prebuilt binaries are the crypto the app runs', () => {
    expect(manifest.dependencies['sodium-native']).toMatch(/^\d+\.\d+\.\d+$/)
  })
})
