import { execFileSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { KeytarVault } from '../../../src/main/core/keys/keytar-vault'
import { VaultError } from '../../../src/main/core/keys/secret-vault'
import type { PrivateKeyring } from '../../support/private-keyring'
import { startPrivateKeyring } from '../../support/private-keyring'

// Real gnome-keyring on a private D-Bus session (see tests/support/private-keyring.ts).
let keyring: PrivateKeyring
beforeAll(async () => {
  keyring = await startPrivateKeyring({ withDaemon: true })
})
afterAll(() => keyring?.stop())

describe('KeytarVault against gnome-keyring', () => {
  it('stores, reads, replaces and deletes an entry', async () => {
    const vault = new KeytarVault()
    expect(await vault.get('profile-a')).toBeNull()
    await vault.set('profile-a', 'first')
    await vault.set('profile-a', 'second')
    expect(await vault.get('profile-a')).toBe('second')
    expect(await vault.delete('profile-a')).toBe(true)
    expect(await vault.get('profile-a')).toBeNull()
    expect(await vault.delete('profile-a')).toBe(false)
  })

  it('keeps services and accounts apart', async () => {
    await new KeytarVault('Tessera').set('p', 'one')
    await new KeytarVault('Tessera-Other').set('p', 'two')
    expect(await new KeytarVault('Tessera').get('p')).toBe('one')
    expect(await new KeytarVault('Tessera').get('q')).toBeNull()
  })

  it('on a locked keyring: get returns null (as libsecret does), set throws VaultError keychain-locked', async () => {
    const vault = new KeytarVault()
    await vault.set('locked-profile', 'kept')
    keyring.lock()
    expect(await vault.get('locked-profile')).toBeNull()
    const error = await vault.set('locked-profile', 'new').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(VaultError)
    expect((error as VaultError).code).toBe('keychain-locked')
    expect((error as VaultError).message).not.toContain('new')
    // Unlocking restarts the daemon with the password; libsecret in THIS
    // process keeps the old daemon's bus name, so a fresh process checks
    // that the entry survived the lock untouched.
    await keyring.restartUnlocked()
    expect(readEntryInFreshProcess(keyring.busAddress, 'locked-profile')).toBe('kept')
  })
})

function readEntryInFreshProcess(busAddress: string, account: string): string {
  const script = `require('keytar').getPassword('Tessera', ${JSON.stringify(account)}).then((v) => process.stdout.write(String(v)))`
  return execFileSync(process.execPath, ['-e', script], { env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: busAddress }, cwd: process.cwd() }).toString()
}
