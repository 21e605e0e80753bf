import { build } from 'esbuild'
import { fileURLToPath } from 'node:url'

let cached: Promise<string> | undefined

/** Bundles tests/host/shim.ts (and the shared contract it imports) for the browser, once per process. */
export function bundleShim(): Promise<string> {
  cached ??= build({
    entryPoints: [fileURLToPath(new URL('./shim.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: false
  }).then((result) => result.outputFiles[0]!.text)
  return cached
}
