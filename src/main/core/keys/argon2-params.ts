/**
 * Argon2id cost settings (libsodium crypto_pwhash, RFC 9106), chosen per
 * secret by its entropy (docs/decisions/0032-argon2id-parameters.md):
 * - recovery key: 128 random bits cannot be guessed whatever the cost, so
 *   the KDF only has to be sound, not slow: libsodium's INTERACTIVE
 *   (ops 2, 64 MiB, ~113 ms here).
 * - app-lock passphrase: chosen by a person, low entropy, so the cost is
 *   what protects it: MODERATE (ops 3, 256 MiB, ~1.6 s here), libsodium's
 *   recommendation for keys derived rarely on interactive machines.
 * The values are written into each wrapped-key file, so raising them later
 * does not strand existing files.
 */
export interface Argon2Params {
  readonly opsLimit: number
  readonly memLimit: number
}

export const RECOVERY_KEY_ARGON2: Argon2Params = { opsLimit: 2, memLimit: 64 * 1024 * 1024 }
export const PASSPHRASE_ARGON2: Argon2Params = { opsLimit: 3, memLimit: 256 * 1024 * 1024 }

/** Bounds for params read from a file: a tampered file must not make us allocate 4 GiB or loop for hours. */
export const ARGON2_BOUNDS = { minOps: 1, maxOps: 10, minMem: 8 * 1024 * 1024, maxMem: 1024 * 1024 * 1024 } as const
