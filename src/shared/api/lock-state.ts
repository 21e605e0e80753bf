/**
 * Whether this profile's encrypted store is open, and if not, what the user
 * can do about it. Each state is a screen in the renderer; none of them
 * carries a key.
 */
export type LockState =
  /** The store is open. `via` says how; after a recovery-key unlock, whether the key went back into the keychain. */
  | { readonly state: 'unlocked'; readonly via: 'setup' | 'keychain' | 'recovery-key' | 'passphrase'; readonly keychainRestored?: boolean }
  /** First run: nothing exists yet. */
  | { readonly state: 'needs-setup' }
  /** A database exists but the OS keychain is locked: unlock it (then retry) or use the recovery key. */
  | { readonly state: 'keychain-locked'; readonly rejected?: UnlockRejection }
  /** No OS keychain at all: the recovery key is the way in. */
  | { readonly state: 'keychain-unavailable'; readonly rejected?: UnlockRejection }
  /** The keychain has no usable entry for this profile (deleted, or a new keychain): enter the recovery key. */
  | { readonly state: 'needs-recovery-key'; readonly rejected?: UnlockRejection }
  /** App lock is on: enter the passphrase. */
  | { readonly state: 'needs-passphrase'; readonly rejected?: UnlockRejection }
  /** The store could not be opened even with a key (e.g. written by a newer Tessera). Nothing was changed. */
  | { readonly state: 'store-unreadable'; readonly reason: 'schema-too-new' | 'wrong-key' | 'io' }

/** Why the last recovery key or passphrase was refused; the renderer words it. */
export type UnlockRejection =
  | 'wrong-length'
  | 'bad-character'
  | 'bad-checksum'
  | 'wrong-recovery-key'
  | 'no-recovery-file'
  | 'wrong-passphrase'
