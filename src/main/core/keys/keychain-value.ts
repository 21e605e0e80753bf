import { DATABASE_KEY_BYTES } from '../store/encrypted-database'

/**
 * How database keys are written into the keychain entry: a version prefix
 * and one or two base64 keys. Two keys exist only during a rotation (new,
 * old), so a crash between the keychain write and the rekey still leaves a
 * key that opens the database.
 */
const PREFIX = 'tessera-db-key-v1:'

export function encodeKeychainValue(keys: readonly Uint8Array[]): string {
  // A view, not Buffer.from(key): small Buffer copies land in Node's shared
  // pool, where the key bytes would outlive the wipe of the original.
  return PREFIX + keys.map((key) => Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('base64')).join(',')
}

/** The candidate keys, newest first; an entry in any other shape yields none (it is not ours). */
export function decodeKeychainValue(value: string): Uint8Array[] {
  if (!value.startsWith(PREFIX)) return []
  const keys: Uint8Array[] = []
  for (const part of value.slice(PREFIX.length).split(',').slice(0, 2)) {
    const decoded = Buffer.from(part, 'base64')
    if (decoded.length === DATABASE_KEY_BYTES) keys.push(new Uint8Array(decoded))
    decoded.fill(0)
  }
  return keys
}
