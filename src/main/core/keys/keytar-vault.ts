import { createRequire } from 'node:module'
import type { SecretVault } from './secret-vault'
import { VaultError } from './secret-vault'

/** The keychain service name; the account is the profile id. */
export const KEYCHAIN_SERVICE = 'Tessera'

interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>
  setPassword(service: string, account: string, password: string): Promise<void>
  deletePassword(service: string, account: string): Promise<boolean>
}

/**
 * SecretVault over keytar 7.9 (N-API: the same build serves Node and
 * Electron). keytar is CommonJS with a native addon, so it is loaded with
 * createRequire on first use: a missing libsecret then surfaces as a typed
 * 'keychain-unavailable' instead of a crash at import time.
 *
 * keytar throws plain Errors without codes; the messages below are what
 * libsecret/D-Bus report on Linux (docs/decisions/0033-keychain-failure-states.md).
 * findCredentials is deliberately absent: it segfaults the process on a
 * locked keyring with matching items (atom/node-keytar, unfixed).
 */
export class KeytarVault implements SecretVault {
  private keytar: Keytar | undefined

  constructor(private readonly service: string = KEYCHAIN_SERVICE) {}

  async get(account: string): Promise<string | null> {
    return this.call((keytar) => keytar.getPassword(this.service, account))
  }

  async set(account: string, secret: string): Promise<void> {
    await this.call((keytar) => keytar.setPassword(this.service, account, secret))
  }

  async delete(account: string): Promise<boolean> {
    return this.call((keytar) => keytar.deletePassword(this.service, account))
  }

  private async call<T>(operation: (keytar: Keytar) => Promise<T>): Promise<T> {
    let keytar: Keytar
    try {
      keytar = this.load()
    } catch (error) {
      throw new VaultError('keychain-unavailable', `The OS keychain library could not be loaded (${messageOf(error)}).`)
    }
    try {
      return await operation(keytar)
    } catch (error) {
      throw classifyKeytarError(error)
    }
  }

  private load(): Keytar {
    this.keytar ??= createRequire(import.meta.url)('keytar') as Keytar
    return this.keytar
  }
}

const LOCKED = [/locked collection/i, /is locked/i, /user (canceled|cancelled|denied)/i, /prompt/i]

/** Maps keytar's message-only errors to the vault's typed states. Never includes the secret. */
export function classifyKeytarError(error: unknown): VaultError {
  const message = messageOf(error)
  if (LOCKED.some((pattern) => pattern.test(message))) {
    return new VaultError('keychain-locked', `The OS keychain is locked (${message}).`)
  }
  return new VaultError('keychain-unavailable', `The OS keychain is not available (${message}).`)
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 200)
}
