import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/**
 * WAL checkpoints off the event loop. With SQLite's automatic checkpoints the
 * committing call copies WAL pages into the database file itself, a stall of
 * tens of milliseconds every few seconds under load, which lands in the
 * relay's latency tail. Instead the main connection disables them
 * (wal_autocheckpoint = 0) and this worker thread, on its own connection,
 * runs PASSIVE checkpoints, which never block the writer
 * (sqlite.org/wal.html, "Checkpointing"; sqlite.org/c3ref/wal_checkpoint_v2.html).
 */
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.path)
db.pragma('busy_timeout = 1000')
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)') } catch (error) { parentPort.postMessage({ error: String(error && error.message) }) }
}, workerData.intervalMs)
parentPort.on('message', () => {
  clearInterval(timer)
  db.close()
  parentPort.postMessage({ stopped: true })
})
`

export interface Checkpointer {
  stop(): Promise<void>
}

export function startCheckpointer(databasePath: string, intervalMs: number, onError: (message: string) => void): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3')
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path: databasePath, intervalMs, driver } })
  worker.unref()
  worker.on('message', (message: { error?: string }) => {
    if (message.error) onError(message.error)
  })
  worker.on('error', (error) => onError(error.message))
  return {
    stop: () =>
      new Promise((resolve) => {
        worker.ref() // keep the process alive until the worker is gone, so shutdown can finish closing the database
        worker.once('exit', () => resolve())
        worker.once('message', () => void worker.terminate())
        worker.postMessage('stop')
        setTimeout(() => void worker.terminate(), 2_000).unref()
      })
  }
}
