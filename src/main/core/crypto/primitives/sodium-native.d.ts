/**
 * The part of sodium-native 5.x (N-API bindings to native libsodium) that
 * Tessera uses. The package ships no types, and @types/sodium-native
 * describes the 2.x API, so this declares only these six functions. Every
 * output is written into a caller-owned typed array, which is what lets us
 * wipe secrets ourselves (docs/decisions/0017-native-libsodium-x25519-ed25519.md).
 * Each function throws on a wrong buffer length or a non-zero libsodium status.
 */
declare module 'sodium-native' {
  /** q = X25519(n, p); throws if libsodium rejects p (small order) or the result is all zeros. */
  export function crypto_scalarmult(q: Uint8Array, n: Uint8Array, p: Uint8Array): void
  /** q = X25519(n, 9). */
  export function crypto_scalarmult_base(q: Uint8Array, n: Uint8Array): void
  /** Ed25519 key pair from a 32-byte seed; sk is libsodium's 64-byte seed || pk. */
  export function crypto_sign_seed_keypair(pk: Uint8Array, sk: Uint8Array, seed: Uint8Array): void
  /** 64-byte Ed25519 signature of m into sig. */
  export function crypto_sign_detached(sig: Uint8Array, m: Uint8Array, sk: Uint8Array): void
  /** Ed25519 verification; sig must be at least 64 bytes (callers pass exactly 64). */
  export function crypto_sign_verify_detached(sig: Uint8Array, m: Uint8Array, pk: Uint8Array): boolean
  /** out (32 bytes) = SHA-256(m); used by the relay for receipt tree hashes. */
  export function crypto_hash_sha256(out: Uint8Array, m: Uint8Array): void
}
