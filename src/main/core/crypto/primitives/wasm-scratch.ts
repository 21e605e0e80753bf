import type { Sodium } from '../sodium'

/**
 * Access to the emscripten module behind libsodium-wrappers-sumo 0.8.4 and
 * one scratch region in its heap, for modules that call libsodium's wasm
 * exports directly (wasm-direct.ts: HMAC and AEAD; xwing.ts: ML-KEM-768).
 * The wrappers allocate, copy and free a heap buffer per argument and never
 * zero them; here every caller zeroes the bytes it used before returning,
 * so no key stays in the wasm heap.
 * Callers never nest: each finishes with the region before another starts.
 */
export interface WasmHeap {
  HEAPU8: Uint8Array
  _malloc(size: number): number
  _free(pointer: number): void
}

let scratch = 0
let scratchSize = 0

/**
 * The raw module if it exposes every export in `names` (function-valued),
 * else null; the module is an undocumented property of the wrappers, so
 * callers keep a path through the public wrappers for null.
 */
export function rawExports<T extends WasmHeap>(sodium: Sodium, names: readonly string[]): T | null {
  const candidate = (sodium as unknown as { libsodium?: Record<string, unknown> }).libsodium
  if (!candidate || typeof candidate._malloc !== 'function' || typeof candidate._free !== 'function') return null
  return names.every((name) => typeof candidate[name] === 'function') ? (candidate as unknown as T) : null
}

/**
 * A scratch region of at least `size` bytes (grows by doubling; the old one
 * is zeroed and freed). Read `lib.HEAPU8` again after calling this: a malloc
 * can grow the wasm memory and detach the previous view.
 */
export function scratchRegion(lib: WasmHeap, size: number): number {
  if (size > scratchSize) {
    if (scratch !== 0) {
      lib.HEAPU8.fill(0, scratch, scratch + scratchSize)
      lib._free(scratch)
    }
    let next = Math.max(1024, scratchSize)
    while (next < size) next *= 2
    scratch = lib._malloc(next)
    if (scratch === 0) throw new Error('libsodium heap exhausted')
    scratchSize = next
  }
  return scratch
}
