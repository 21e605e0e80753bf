// Starts a server process pinned to one CPU core (taskset -c) and waits for
// its {"ready":true,"port":N} line. The benchmark keeps the server on core 0
// and its own load generation on core 1 so the two never compete (issue 5).
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'

export interface RunningServer {
  readonly pid: number
  readonly port: number
  readonly process: ChildProcess
  /** stderr kept for failure reports (bounded, last 8 KB). */
  stderrTail(): string
  stop(signal?: NodeJS.Signals): Promise<void>
}

export interface SpawnOptions {
  /** Core to pin the server to; undefined means no pinning. */
  readonly core?: number
  /** Argument list after `node`, e.g. ['--import', 'tsx', 'file.ts', ...]. */
  readonly nodeArgs: readonly string[]
  readonly env?: NodeJS.ProcessEnv
  readonly cwd?: string
  /** Regex that finds the port in a stdout line; default reads the JSON ready line. */
  readonly readyPattern?: RegExp
  readonly readyTimeoutMs?: number
}

const DEFAULT_READY = /"port"\s*:\s*(\d+)/

export async function spawnServer(options: SpawnOptions): Promise<RunningServer> {
  const command = options.core === undefined ? process.execPath : 'taskset'
  const args = options.core === undefined
    ? [...options.nodeArgs]
    : ['-c', String(options.core), process.execPath, ...options.nodeArgs]
  // taskset execs node in place, so child.pid is the node process whose RSS we read.
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8192)
  })
  const pattern = options.readyPattern ?? DEFAULT_READY
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not become ready in time; stderr: ${stderr}`)), options.readyTimeoutMs ?? 30_000)
    const lines = createInterface({ input: child.stdout! })
    lines.on('line', (line) => {
      const match = pattern.exec(line)
      if (match?.[1] !== undefined) {
        clearTimeout(timer)
        resolve(Number(match[1]))
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`server exited (${code}) before ready; stderr: ${stderr}`))
    })
  })
  const pid = child.pid
  if (pid === undefined) throw new Error('server has no pid')
  return {
    pid,
    port,
    process: child,
    stderrTail: () => stderr,
    stop: (signal: NodeJS.Signals = 'SIGTERM') => stopProcess(child, signal)
  }
}

async function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  await new Promise<void>((resolve) => {
    const hardKill = setTimeout(() => child.kill('SIGKILL'), 5_000)
    child.once('exit', () => {
      clearTimeout(hardKill)
      resolve()
    })
    child.kill(signal)
  })
}
