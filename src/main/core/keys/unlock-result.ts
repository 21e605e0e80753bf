import type { RecoveryKeyErrorCode } from './recovery-key'

/**
 * What opening a profile's key store can end in. Every state except
 * 'unlocked' leaves the database and its key files exactly as they were;
 * the UI turns each into a screen (unlock your keychain, enter the recovery
 * key, enter the passphrase, create a profile).
 */
export type UnlockResult =
  | {
      readonly state: 'unlocked'
      /** The 32-byte database key; the caller wipes it after opening the store. */
      readonly databaseKey: Uint8Array
      readonly via: 'keychain' | 'recovery-key' | 'passphrase'
      /** After a recovery-key unlock: whether the key went back into the keychain. */
      readonly keychainRestored?: boolean
    }
  /** A database exists but the keychain returned nothing and refuses writes: ask the user to unlock it. */
  | { readonly state: 'keychain-locked' }
  /** No Secret Service / keychain at all: the recovery key (or passphrase) is the way in. */
  | { readonly state: 'keychain-unavailable' }
  /** The keychain works but has no (usable) entry for this profile: ask for the recovery key. */
  | { readonly state: 'needs-recovery-key' }
  /** App lock is on: the key is only under the passphrase. */
  | { readonly state: 'needs-passphrase' }
  /** No database yet: call initialize() to create the profile's keys. */
  | { readonly state: 'needs-setup' }
  | { readonly state: 'recovery-key-rejected'; readonly reason: RecoveryKeyErrorCode | 'wrong-recovery-key' | 'no-recovery-file' }
  | { readonly state: 'passphrase-rejected' }
