import sodiumModule from 'libsodium-wrappers-sumo'

/** The libsodium (sumo build) namespace, usable once `loadSodium()` resolved. */
export type Sodium = typeof sodiumModule

let ready: Promise<Sodium> | undefined

/**
 * Resolves libsodium once per process. The sumo build is required: the
 * standard build lacks HMAC-SHA256 and Argon2id at run time (see
 * docs/decisions/0010-libsodium-sumo.md).
 */
export function loadSodium(): Promise<Sodium> {
  ready ??= sodiumModule.ready.then(() => sodiumModule)
  return ready
}
