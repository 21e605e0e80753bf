// A real relay process (src/relay/main.ts under tsx) on 127.0.0.1 with its
// own temp data dir. It can be stopped gracefully, killed with SIGKILL and
// restarted on the same port and data dir, which is what the reconnect and
// crash tests need. Limits the tests would otherwise hit on purpose (one IP,
// thousands of frames) are raised through the relay's documented flags.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'

const REPO = resolve(import.meta.dirname, '../../../..')
const RELAY_MAIN = join(REPO, 'src/relay/main.ts')
const PORT_IN_LOG = /"port"\s*:\s*(\d+)/

/** Generous limits: these tests exercise delivery, not the rate limiter. */
export const TEST_RELAY_FLAGS: readonly string[] = [
  '--conn-frames-per-second', '100000', '--conn-frames-burst', '100000',
  '--ip-frames-per-second', '100000', '--ip-frames-burst', '100000',
  '--mailbox-sends-per-second', '100000', '--mailbox-sends-burst', '100000',
  '--mailbox-creates-per-ip-per-minute', '10000',
  '--mailbox-quota', '100000'
]

export class RelayProcess {
  private child: ChildProcess | undefined
  private output = ''
  port = 0

  private constructor(readonly dataDir: string, private readonly extraFlags: readonly string[]) {}

  static async start(extraFlags: readonly string[] = []): Promise<RelayProcess> {
    const relay = new RelayProcess(mkdtempSync(join(tmpdir(), 'tessera-relay-')), extraFlags)
    await relay.launch()
    return relay
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/`
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null
  }

  /** Last log lines, for assertion messages (the relay never logs secrets). */
  logTail(): string {
    return this.output.slice(-4000)
  }

  /** Starts again with the same data dir, on the same port once one was chosen. */
  async launch(): Promise<void> {
    if (this.running) throw new Error('relay already running')
    const args = ['--import', 'tsx', RELAY_MAIN, '--host', '127.0.0.1', '--port', String(this.port), '--metrics-port', '0', '--data-dir', this.dataDir, ...TEST_RELAY_FLAGS, ...this.extraFlags]
    const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] })
    this.child = child
    child.stderr?.on('data', (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-20_000)))
    this.port = await new Promise<number>((resolvePort, reject) => {
      const timer = setTimeout(() => reject(new Error(`relay not ready in 30 s:\n${this.logTail()}`)), 30_000)
      const lines = createInterface({ input: child.stdout! })
      let found = false
      lines.on('line', (line) => {
        this.output = (this.output + line + '\n').slice(-20_000)
        const match = PORT_IN_LOG.exec(line)
        if (!found && match?.[1] !== undefined && Number(match[1]) > 0) {
          found = true
          clearTimeout(timer)
          resolvePort(Number(match[1]))
        }
      })
      child.once('exit', (code, signal) => {
        clearTimeout(timer)
        if (!found) reject(new Error(`relay exited (${code ?? signal}) before listening:\n${this.logTail()}`))
      })
    })
  }

  /** Graceful shutdown (SIGTERM): the relay finishes in-flight writes. */
  stop(): Promise<void> {
    return this.signal('SIGTERM')
  }

  /** kill -9: no chance to flush or close anything. */
  kill9(): Promise<void> {
    return this.signal('SIGKILL')
  }

  async dispose(): Promise<void> {
    await this.signal('SIGKILL')
    rmSync(this.dataDir, { recursive: true, force: true })
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child
    if (child === undefined || !this.running) return
    await new Promise<void>((resolveExit) => {
      const hardKill = setTimeout(() => child.kill('SIGKILL'), 10_000)
      child.once('exit', () => {
        clearTimeout(hardKill)
        resolveExit()
      })
      child.kill(signal)
    })
  }
}
