/**
 * The OS keychain as the core sees it. Implementations map their platform's
 * failures to these two codes; anything else is a bug and propagates.
 * A locked keychain is NOT reliably an error: libsecret's lookup returns
 * null on a locked collection, so callers must treat "no value" as
 * "maybe locked" when a database already exists (see database-key-vault.ts).
 */
export type VaultErrorCode =
  | 'keychain-locked' // the collection is locked (the user must unlock it)
  | 'keychain-unavailable' // no Secret Service / D-Bus / Keychain access at all

export class VaultError extends Error {
  constructor(
    readonly code: VaultErrorCode,
    message: string
  ) {
    super(message)
    this.name = 'VaultError'
  }
}

export interface SecretVault {
  /** The stored secret, or null when none is readable (missing, or a locked collection). */
  get(account: string): Promise<string | null>
  /** Stores or replaces the secret; throws VaultError when the keychain refuses. */
  set(account: string, secret: string): Promise<void>
  /** true when an entry was removed. */
  delete(account: string): Promise<boolean>
}
