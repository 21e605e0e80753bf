import { createHash } from 'node:crypto'
import { resolve } from 'node:path'

/**
 * The keychain entry's account name for a profile: its name plus a short
 * hash of its data directory. Two profiles with the same name in different
 * directories (several test runs, a portable copy) never share an entry.
 * Moving a profile directory therefore asks for the recovery key once,
 * which then writes the entry under the new name.
 */
export function keychainAccountFor(profileName: string, profileDir: string): string {
  const digest = createHash('sha256').update(resolve(profileDir)).digest('hex').slice(0, 16)
  return `${profileName}-${digest}`
}
