import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll } from 'vitest'

/**
 * Runs the real relay as a child process (through bin/tessera-relay.mjs, the
 * way operators run it) on 127.0.0.1 with a temp data dir, and finds its ports
 * in the "relay listening" log line.
 */
export interface RelayProcess {
  readonly url: string
  readonly port: number
  readonly metricsPort: number
  readonly relayKey: Uint8Array
  readonly dataDir: string
  readonly child: ChildProcess
  /** Every stdout/stderr line so far. */
  readonly logs: string[]
  /** Sends a signal and resolves with the exit code (null when killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

export interface SpawnOptions {
  dataDir?: string
  port?: number
  /** Extra flags, e.g. ['--mailbox-quota', '5']. */
  args?: string[]
}

/**
 * Relays still running when a test file ends (a test failed before stopping
 * its relay) are killed, so no process outlives the run. Registered when this
 * module is imported, i.e. once per test file (vitest isolates files).
 */
const running = new Set<ChildProcess>()
afterAll(() => {
  for (const child of running) child.kill('SIGKILL')
})

const BIN = resolve(import.meta.dirname, '../../../../bin/tessera-relay.mjs')

/** Limits high enough that tests measuring something else are not rate-limited. */
export const UNLIMITED = [
  '--conn-frames-per-second', '1000000', '--conn-frames-burst', '1000000',
  '--ip-frames-per-second', '1000000', '--ip-frames-burst', '1000000',
  '--mailbox-sends-per-second', '1000000', '--mailbox-sends-burst', '1000000'
]

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'tessera-relay-test-'))
}

export function spawnRelay(options: SpawnOptions = {}): Promise<RelayProcess> {
  const dataDir = options.dataDir ?? tempDataDir()
  const args = [BIN, '--host', '127.0.0.1', '--port', String(options.port ?? 0), '--metrics-port', '0', '--data-dir', dataDir, ...(options.args ?? [])]
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  running.add(child)
  child.once('exit', () => running.delete(child))
  const logs: string[] = []
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)))
  return new Promise((resolveStart, rejectStart) => {
    const timer = setTimeout(() => rejectStart(new Error(`relay did not start: ${logs.join('\n')}`)), 30_000)
    const onLine = (line: string): void => {
      logs.push(line)
      if (!line.includes('"relay listening"')) return
      const entry = JSON.parse(line) as { port: number; metricsPort: number; relayKey: string }
      clearTimeout(timer)
      resolveStart({
        url: `ws://127.0.0.1:${entry.port}/v1`,
        port: entry.port,
        metricsPort: entry.metricsPort,
        relayKey: new Uint8Array(Buffer.from(entry.relayKey, 'hex')),
        dataDir,
        child,
        logs,
        stop(signal: NodeJS.Signals = 'SIGTERM') {
          if (child.exitCode !== null || child.signalCode !== null) return exited
          child.kill(signal)
          return exited
        }
      })
    }
    for (const stream of [child.stdout, child.stderr]) {
      let buffered = ''
      stream.setEncoding('utf8')
      stream.on('data', (chunk: string) => {
        buffered += chunk
        let newline
        while ((newline = buffered.indexOf('\n')) >= 0) {
          onLine(buffered.slice(0, newline))
          buffered = buffered.slice(newline + 1)
        }
      })
    }
    child.once('exit', (code) => {
      clearTimeout(timer)
      rejectStart(new Error(`relay exited with ${code}: ${logs.join('\n')}`))
    })
  })
}
