import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root (four levels up from tests/unit/crypto/wycheproof). */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..')
/** Wycheproof files are vendored unchanged in tests/vectors/wycheproof (see its SOURCE.md). */
export const WYCHEPROOF_DIR = path.resolve(repoRoot, 'tests', 'vectors', 'wycheproof')

export interface WycheproofTest {
  tcId: number
  comment?: string
  flags?: string[]
  result: 'valid' | 'invalid' | 'acceptable'
  [field: string]: unknown
}
export interface WycheproofGroup {
  tests: WycheproofTest[]
  [field: string]: unknown
}
export interface WycheproofFile {
  algorithm: string
  numberOfTests: number
  testGroups: WycheproofGroup[]
}

export function loadWycheproof(file: string): WycheproofFile {
  return JSON.parse(readFileSync(path.join(WYCHEPROOF_DIR, file), 'utf8')) as WycheproofFile
}

export function hex(value: unknown): Uint8Array {
  return new Uint8Array(Buffer.from(value as string, 'hex'))
}

export function toHexString(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}

/** All tests of a file, each with its group. */
export function allTests(file: WycheproofFile): { group: WycheproofGroup; test: WycheproofTest }[] {
  return file.testGroups.flatMap((group) => group.tests.map((test) => ({ group, test })))
}
