import { DATABASE_KEY_BYTES } from '../store/encrypted-database'

/**
 * How database keys are written into the keychain entry: a version prefix
 * and one or two base64 keys. Two keys exist only during a rotation (new,
 * old), so a crash between the keychain write and the rekey still leaves a
 * key that opens the database.
 */
const PREFIX = 'tessera-db-key-v1:'

export function encodeKeychainValue(keys: readonly Uint8Array[]): string {
  return PREFIX + keys.map((key) => Buffer.from(key).toString('base64')).join(',')
}

/** The candidate keys, newest first; an entry in any other shape yields none (it is not ours). */
export function decodeKeychainValue(value: string): Uint8Array[] {
  if (!value.startsWith(PREFIX)) return []
  return value
    .slice(PREFIX.length)
    .split(',')
    .map((part) => new Uint8Array(Buffer.from(part, 'base64')))
    .filter((key) => key.length === DATABASE_KEY_BYTES)
    .slice(0, 2)
}
