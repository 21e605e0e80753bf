import sodiumModule from 'libsodium-wrappers-sumo'
import type { Sodium } from '../sodium'

/**
 * The libsodium namespace for synchronous use. Callers must have awaited
 * `loadSodium()` (src/main/core/crypto/sodium.ts) once at start-up; before
 * that the wasm functions do not exist and this throws a clear Error.
 */
export function sodium(): Sodium {
  if (typeof sodiumModule.crypto_aead_xchacha20poly1305_ietf_encrypt !== 'function') {
    throw new Error('libsodium is not ready: await loadSodium() once before using crypto primitives')
  }
  return sodiumModule
}

/** The namespace if libsodium is already loaded, else undefined (for code with a non-sodium fallback). */
export function sodiumIfReady(): Sodium | undefined {
  return typeof sodiumModule.crypto_auth_hmacsha256 === 'function' ? sodiumModule : undefined
}
