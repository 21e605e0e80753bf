// Types for scripts/ensure-node-abi.mjs (a plain Node script, so that `npm test`
// can run it before anything is compiled), for the tests that import it.
export type LoadFailureKind = 'abi-mismatch' | 'missing-binary' | 'other'
export interface BrokenModule {
  name: string
  kind: LoadFailureKind
  message: string
}
export interface EnsureOutcome {
  ok: boolean
  rebuilt: string[]
  restored: string[]
  problem?: string
}
export interface EnsureDeps {
  names?: string[]
  probe?: (name: string) => void
  rebuild?: (names: string[]) => boolean
  recheck?: () => boolean
  restore?: (names: string[]) => string[]
  remember?: (names: string[], options?: { overwrite?: boolean }) => void
  log?: (line: string) => void
}
export const abiSpecificModules: string[]
export function classifyLoadError(error: unknown): LoadFailureKind
export function probeModule(name: string): void
export function findBrokenModules(names: string[], probe: (name: string) => void): BrokenModule[]
export function rebuildForNode(names: string[]): boolean
export function rememberNodeBinaries(names: string[], options?: { overwrite?: boolean }): void
export function restoreNodeBinaries(names: string[]): string[]
export function ensureNodeAbi(deps?: EnsureDeps): EnsureOutcome
