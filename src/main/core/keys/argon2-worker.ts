import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type { Argon2Params } from './argon2-params'

/**
 * Runs Argon2id (libsodium crypto_pwhash, sumo build) in a short-lived
 * worker thread. Two reasons, both measured here:
 * - the wasm heap grows to the memory cost and never shrinks: a 256 MiB
 *   derivation on the main thread left the process at ~330 MB RSS for good;
 *   a worker's heap is released when it exits;
 * - the main process (sync engine, IPC) is not blocked for the ~1.6 s
 *   the passphrase setting takes.
 * The secret is copied into the worker and wiped there after use; the seed
 * comes back as a transferred buffer (no copy left in the worker).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const sodium = require(workerData.sodiumPath)
sodium.ready.then(() => {
  const { secret, salt, opsLimit, memLimit } = workerData
  try {
    const seed = sodium.crypto_pwhash(32, secret, salt, opsLimit, memLimit, sodium.crypto_pwhash_ALG_ARGON2ID13)
    parentPort.postMessage({ seed }, [seed.buffer])
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message) })
  } finally {
    sodium.memzero(secret)
  }
})
`

/** 32 bytes of Argon2id output for `secret` and `salt`; the caller wipes it. */
export function deriveArgon2Seed(secret: Uint8Array, salt: Uint8Array, params: Argon2Params): Promise<Uint8Array> {
  const sodiumPath = createRequire(import.meta.url).resolve('libsodium-wrappers-sumo')
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { sodiumPath, secret, salt, opsLimit: params.opsLimit, memLimit: params.memLimit }
    })
    let settled = false
    worker.once('message', (message: { seed?: Uint8Array; error?: string }) => {
      settled = true
      if (message.seed !== undefined) resolve(new Uint8Array(message.seed.buffer, message.seed.byteOffset, message.seed.byteLength))
      else reject(new Error(`Argon2id failed: ${message.error ?? 'unknown error'}`))
      void worker.terminate()
    })
    worker.once('error', (error) => {
      if (!settled) reject(error)
    })
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`The Argon2id worker exited early (code ${code}).`))
    })
  })
}
