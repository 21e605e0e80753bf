import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

/** `npm test` builds before vitest; a single test file run on a clean tree builds here instead. */
export function ensureBuilt(): string {
  const out = join(process.cwd(), 'out')
  if (!existsSync(join(out, 'preload', 'index.cjs')) || !existsSync(join(out, 'renderer', 'index.html'))) {
    execFileSync('npx', ['electron-vite', 'build'], { stdio: 'ignore' })
  }
  return out
}
