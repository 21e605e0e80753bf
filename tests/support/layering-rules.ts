import { builtinModules } from 'node:module'
import { dirname, posix, relative, resolve } from 'node:path'

/**
 * The layering of docs/architecture.md as code. Paths are repo-relative with
 * forward slashes. `importViolation` answers for one import statement.
 */
export const SHARED_ALLOWED_PACKAGES = new Set(['zod', 'cbor-x', '@msgpack/msgpack'])
const ELECTRON_ALLOWED = [/^src\/main\/shell\//, /^src\/main\/index\.ts$/, /^src\/preload\//]
const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]))
/** Browser-only globals that must not appear in src/shared (the tsconfig has no DOM lib either). */
export const DOM_GLOBALS = /\b(window|document|navigator|localStorage|sessionStorage|HTMLElement|XMLHttpRequest)\s*[.[(]/

export function layerOf(file: string): string {
  if (file.startsWith('src/shared/')) return 'shared'
  if (file.startsWith('src/renderer/')) return 'renderer'
  if (file.startsWith('src/preload/')) return 'preload'
  if (file.startsWith('src/main/shell/') || file === 'src/main/index.ts') return 'shell'
  if (file.startsWith('src/main/core/')) return 'core'
  if (file.startsWith('src/relay/')) return 'relay'
  return 'other'
}

/** Resolves a relative specifier to a repo-relative path (no extension handling needed for layer checks). */
function resolveRelative(file: string, specifier: string, root: string): string {
  return relative(root, resolve(root, dirname(file), specifier)).split('\\').join(posix.sep)
}

export function importViolation(file: string, specifier: string, root: string): string | undefined {
  const layer = layerOf(file)
  const isRelative = specifier.startsWith('.')
  const target = isRelative ? resolveRelative(file, specifier, root) : undefined
  const packageName = isRelative ? undefined : specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!

  if (packageName === 'electron' && !ELECTRON_ALLOWED.some((pattern) => pattern.test(file))) {
    return `${file} imports electron; only src/main/shell, src/main/index.ts and src/preload may`
  }
  if (layer === 'renderer' && target && /^src\/(main|preload)(\/|$)/.test(target)) {
    return `${file} imports ${target}; the renderer reaches main only through window.tessera`
  }
  if (layer === 'shared') {
    if (target && !target.startsWith('src/shared/')) return `${file} imports ${target}, outside src/shared`
    if (NODE_BUILTINS.has(specifier)) return `${file} imports the Node built-in ${specifier}`
    if (packageName && !SHARED_ALLOWED_PACKAGES.has(packageName)) return `${file} imports ${packageName}, not on the shared allowlist`
  }
  if (layer === 'core' && target && /^src\/main\/(shell\/|index)/.test(target)) {
    return `${file} imports ${target}; the core never reaches into the shell`
  }
  if (layer === 'relay' && target && !target.startsWith('src/relay/') && !target.startsWith('src/shared/')) {
    return `${file} imports ${target}; the relay imports only src/shared`
  }
  if (layer === 'preload' && target && !target.startsWith('src/preload/') && !target.startsWith('src/shared/')) {
    return `${file} imports ${target}; the preload imports only src/shared`
  }
  return undefined
}

/** Every module specifier in a source text: static imports, re-exports, dynamic import() and require(). */
export function importSpecifiers(source: string): string[] {
  const found: string[] = []
  const patterns = [
    /\bimport\s+(?:type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/g,
    /\bexport\s+(?:type\s+)?[^'"]*?\s+from\s+['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g
  ]
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1]!)
  return found
}
