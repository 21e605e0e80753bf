import { createRequire } from 'node:module'
import type * as SodiumNativeModule from 'sodium-native'
import { sodium } from './sodium-sync'

type SodiumNative = typeof SodiumNativeModule

/**
 * X25519 and Ed25519 arithmetic, from native libsodium (sodium-native, N-API
 * prebuilds) when its binary loads here, else from the libsodium wasm build
 * Tessera used before. Both are libsodium, so outputs and rejections are
 * identical (tests/unit/crypto/primitives/curve25519-backend.test.ts runs
 * Wycheproof on each); native is 2-2.4x faster. Outputs are written into
 * caller-owned arrays, so callers wipe every copy of a secret they receive.
 * The fallback exists because the Linux prebuilds need glibc 2.33 (Electron
 * itself runs on older systems): there the app keeps working, only slower
 * (docs/decisions/0017-native-libsodium-x25519-ed25519.md).
 */
export interface Curve25519Backend {
  readonly name: 'sodium-native' | 'libsodium-wasm'
  /** out = X25519(secret, point); false, with out zeroed, when libsodium rejects a low-order point. */
  scalarmult(out: Uint8Array, secret: Uint8Array, point: Uint8Array): boolean
  /** out = X25519(secret, 9). */
  scalarmultBase(out: Uint8Array, secret: Uint8Array): void
  /** Ed25519 key pair of a 32-byte seed; secretKey is libsodium's 64-byte seed || public key. */
  signSeedKeypair(publicKey: Uint8Array, secretKey: Uint8Array, seed: Uint8Array): void
  /** 64-byte Ed25519 signature of message into signature. */
  sign(signature: Uint8Array, message: Uint8Array, secretKey: Uint8Array): void
  /** Strict Ed25519 verification (callers pass a 64-byte signature and a 32-byte key). */
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean
}

/** The backend over a loaded sodium-native binding. */
export function nativeBackend(binding: SodiumNative): Curve25519Backend {
  return {
    name: 'sodium-native',
    scalarmult(out, secret, point) {
      try {
        binding.crypto_scalarmult(out, secret, point)
        return true
      } catch {
        out.fill(0)
        return false
      }
    },
    scalarmultBase: (out, secret) => binding.crypto_scalarmult_base(out, secret),
    signSeedKeypair: (publicKey, secretKey, seed) => binding.crypto_sign_seed_keypair(publicKey, secretKey, seed),
    sign: (signature, message, secretKey) => binding.crypto_sign_detached(signature, message, secretKey),
    verify: (signature, message, publicKey) => binding.crypto_sign_verify_detached(signature, message, publicKey)
  }
}

/** Copies a wrapper's result into `out` and zeroes the wrapper's own array. */
function into(out: Uint8Array, result: Uint8Array): void {
  out.set(result)
  result.fill(0)
}

/**
 * The libsodium wasm wrappers. They copy arguments into the wasm heap and
 * free them unzeroed (as before decision 0017); only the fallback uses them.
 */
export const wasmBackend: Curve25519Backend = {
  name: 'libsodium-wasm',
  scalarmult(out, secret, point) {
    try {
      into(out, sodium().crypto_scalarmult(secret, point))
      return true
    } catch {
      // libsodium throws "weak public key" for a low-order point.
      out.fill(0)
      return false
    }
  },
  scalarmultBase: (out, secret) => into(out, sodium().crypto_scalarmult_base(secret)),
  signSeedKeypair(publicKey, secretKey, seed) {
    const pair = sodium().crypto_sign_seed_keypair(seed)
    publicKey.set(pair.publicKey)
    into(secretKey, pair.privateKey)
  },
  sign: (signature, message, secretKey) => signature.set(sodium().crypto_sign_detached(message, secretKey)),
  verify(signature, message, publicKey) {
    try {
      return sodium().crypto_sign_verify_detached(signature, message, publicKey)
    } catch {
      return false
    }
  }
}

/** sodium-native's backend if `load` returns its binding, the wasm backend if loading throws (no prebuild for this platform or libc). */
export function selectBackend(load: () => SodiumNative): Curve25519Backend {
  try {
    return nativeBackend(load())
  } catch {
    return wasmBackend
  }
}

let chosen: Curve25519Backend | undefined

/** The process's backend, chosen on first use. */
export function curve25519(): Curve25519Backend {
  chosen ??= selectBackend(() => createRequire(import.meta.url)('sodium-native') as SodiumNative)
  return chosen
}
