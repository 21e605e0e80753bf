import { readFile, readdir } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DOM_GLOBALS, importSpecifiers, importViolation, layerOf } from '../../support/layering-rules'

const ROOT = process.cwd()

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(join(ROOT, dir), { withFileTypes: true, recursive: true })
  return entries
    .filter((entry) => entry.isFile() && /\.(ts|tsx|mts|cts)$/.test(entry.name))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)).split('\\').join('/'))
}

describe('layering (docs/architecture.md: layers point one way)', () => {
  it('holds for every file under src/', async () => {
    const violations: string[] = []
    for (const file of await sourceFiles('src')) {
      const source = await readFile(join(ROOT, file), 'utf8')
      for (const specifier of importSpecifiers(source)) {
        const violation = importViolation(file, specifier, ROOT)
        if (violation) violations.push(violation)
      }
      if (layerOf(file) === 'shared' && DOM_GLOBALS.test(source.replace(/\/\/.*|\/\*[\s\S]*?\*\//g, ''))) {
        violations.push(`${file} uses a DOM-only API`)
      }
    }
    expect(violations).toEqual([])
  })

  // The rule must be able to fail: each forbidden shape is caught.
  it.each([
    ['src/main/core/store/db.ts', 'electron'],
    ['src/renderer/src/app.tsx', 'electron'],
    ['src/shared/api/x.ts', 'electron'],
    ['src/renderer/src/app.tsx', '../../main/core/compose'],
    ['src/renderer/src/app.tsx', '../../preload/index'],
    ['src/shared/api/x.ts', 'node:fs'],
    ['src/shared/api/x.ts', 'fs'],
    ['src/shared/api/x.ts', '../../main/core/compose'],
    ['src/shared/api/x.ts', 'libsodium-wrappers-sumo'],
    ['src/main/core/api/x.ts', '../../shell/tray'],
    ['src/relay/x.ts', '../main/core/compose'],
    ['src/preload/index.ts', '../main/core/compose']
  ])('rejects %s importing %s', (file, specifier) => {
    expect(importViolation(file, specifier, ROOT)).toBeTypeOf('string')
  })

  it.each([
    ['src/main/shell/tray.ts', 'electron'],
    ['src/main/index.ts', 'electron'],
    ['src/preload/index.ts', 'electron'],
    ['src/renderer/src/app.tsx', '../../shared/api/contract'],
    ['src/shared/api/x.ts', 'zod'],
    ['src/main/core/x.ts', '../../shared/api/result'],
    ['src/relay/x.ts', '../shared/relay/codec']
  ])('allows %s importing %s', (file, specifier) => {
    expect(importViolation(file, specifier, ROOT)).toBeUndefined()
  })

  it('finds static, type, re-export, dynamic and require imports', () => {
    const source = `import a from 'a'\nimport type { B } from "b"\nexport { c } from 'c'\nconst d = await import('d')\nconst e = require("e")\nimport 'f'`
    expect(importSpecifiers(source).sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f'])
  })

  it('spots DOM globals in shared code', () => {
    expect(DOM_GLOBALS.test('const el = document.getElementById("x")')).toBe(true)
    expect(DOM_GLOBALS.test('const documented = 1')).toBe(false)
  })
})
