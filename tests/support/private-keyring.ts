import type { ChildProcess } from 'node:child_process'
import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * A real Secret Service for one test file: a private D-Bus session bus and,
 * optionally, a gnome-keyring-daemon on it with a fresh "login" keyring.
 * Each vitest file runs in its own process, so pointing this process's
 * DBUS_SESSION_BUS_ADDRESS at the private bus before keytar's first call
 * gives the file a keychain nobody else shares: locking it cannot disturb
 * other suites, and no developer keyring is ever touched.
 *
 * The bus config lists no service directories, so nothing is auto-started:
 * without the daemon the bus has no org.freedesktop.secrets at all (the
 * "missing Secret Service" case).
 */
export interface PrivateKeyring {
  readonly busAddress: string
  /** Locks the login collection through the Secret Service Lock method. */
  lock(): void
  /** Restarts the daemon with the password, which unlocks the login keyring (no prompt is possible headless). */
  restartUnlocked(): Promise<void>
  stop(): void
}

const PASSWORD = 'tessera-test'
const LOGIN_COLLECTION = '/org/freedesktop/secrets/collection/login'

export async function startPrivateKeyring(options: { withDaemon: boolean }): Promise<PrivateKeyring> {
  if (createRequire(import.meta.url).cache[createRequire(import.meta.url).resolve('keytar')] !== undefined) {
    throw new Error('keytar is already loaded in this process: start the private keyring first (one per test file).')
  }
  requireBinary('dbus-daemon')
  requireBinary('dbus-send')
  if (options.withDaemon) requireBinary('gnome-keyring-daemon')
  const home = mkdtempSync(join(tmpdir(), 'tessera-keyring-'))
  const runtime = join(home, 'run')
  mkdirSync(runtime, { mode: 0o700 })
  mkdirSync(join(home, 'data'))
  const config = join(home, 'bus.conf')
  writeFileSync(
    config,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:dir=${home}</listen>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>\n`
  )
  const bus = spawn('dbus-daemon', [`--config-file=${config}`, '--nofork', '--print-address=1'], { stdio: ['ignore', 'pipe', 'ignore'] })
  const busAddress = await firstLine(bus)
  const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: busAddress, XDG_DATA_HOME: join(home, 'data'), XDG_RUNTIME_DIR: runtime }
  process.env.DBUS_SESSION_BUS_ADDRESS = busAddress
  let daemon: ChildProcess | undefined

  const startDaemon = async (): Promise<void> => {
    daemon = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], { env, stdio: ['pipe', 'ignore', 'ignore'] })
    daemon.stdin?.end(PASSWORD)
    await waitFor(() => nameHasOwner(busAddress, 'org.freedesktop.secrets'), 'gnome-keyring-daemon to own org.freedesktop.secrets')
  }
  const stopDaemon = async (): Promise<void> => {
    if (daemon === undefined || daemon.exitCode !== null) return
    const exited = new Promise((resolve) => daemon?.once('exit', resolve))
    daemon.kill('SIGTERM')
    await exited
    await waitFor(() => !nameHasOwner(busAddress, 'org.freedesktop.secrets'), 'the keyring daemon to leave the bus')
  }
  if (options.withDaemon) await startDaemon()

  return {
    busAddress,
    lock: () => {
      execFileSync('dbus-send', [`--bus=${busAddress}`, '--print-reply', '--dest=org.freedesktop.secrets', '/org/freedesktop/secrets',
        'org.freedesktop.Secret.Service.Lock', `array:objpath:${LOGIN_COLLECTION}`], { stdio: 'pipe' })
    },
    restartUnlocked: async () => {
      await stopDaemon()
      await startDaemon()
    },
    stop: () => {
      daemon?.kill('SIGTERM')
      bus.kill('SIGTERM')
      rmSync(home, { recursive: true, force: true })
    }
  }
}

function requireBinary(name: string): void {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'pipe' })
  } catch {
    throw new Error(`${name} is not installed: keychain tests need dbus and gnome-keyring (see docs/decisions/0033-keychain-failure-states.md).`)
  }
}

function nameHasOwner(address: string, name: string): boolean {
  const out = execFileSync('dbus-send', ['--bus=' + address, '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus',
    'org.freedesktop.DBus.NameHasOwner', `string:${name}`], { stdio: 'pipe' }).toString()
  return /boolean true/.test(out)
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const newline = buffered.indexOf('\n')
      if (newline >= 0) resolve(buffered.slice(0, newline).trim())
    })
    child.once('exit', (code) => reject(new Error(`dbus-daemon exited (${code}) before printing its address.`)))
  })
}
