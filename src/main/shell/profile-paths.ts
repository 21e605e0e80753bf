import { join } from 'node:path'

/**
 * Each profile has its own user-data directory, so `--profile work` and the
 * default profile are separate accounts with separate databases, keychain
 * entries (keyed by profile) and single-instance locks.
 */
export function profileUserDataDir(appDataDir: string, productName: string, profile: string): string {
  return join(appDataDir, productName, 'profiles', profile)
}
