import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, describe, expect, it } from 'vitest'
import { loadSodium } from '../../../src/main/core/crypto/sodium'
import { TesseraStore } from '../../../src/main/core/store/tessera-store'
import { asAttachmentId } from '../../../src/shared/ids'

const dataDir = mkdtempSync(join(tmpdir(), 'tessera-crash-'))
const key = randomBytes(32)
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

const attachments: string[] = []

/** Runs crash-writer.ts, SIGKILLs it after `acks` acknowledged writes, returns the acknowledged ids. */
async function writeUntilKilled(round: number, acks: number): Promise<string[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'crash-writer.ts'), dataDir, key.toString('hex'), String(round)], {
    stdio: ['ignore', 'pipe', 'inherit']
  })
  const acknowledged: string[] = []
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)))
  for await (const line of createInterface({ input: child.stdout! })) {
    if (line === 'ready') continue
    if (line.startsWith('attachment ')) {
      attachments.push(line.slice('attachment '.length))
      continue
    }
    acknowledged.push(line)
    if (acknowledged.length === acks) child.kill('SIGKILL')
  }
  expect(await exited).toBe('SIGKILL')
  return acknowledged
}

describe('crash safety', () => {
  it('after SIGKILL mid-write the database opens, passes integrity_check and holds every acknowledged message and attachment', async () => {
    const sodium = await loadSodium()
    const all: string[] = []
    // Kill at a different point each round, reopening the same files in between.
    for (const [round, acks] of [[1, 150], [2, 333], [3, 71]] as const) {
      all.push(...(await writeUntilKilled(round, acks)))
      const store = await TesseraStore.open({ dataDir, databaseKey: new Uint8Array(key), sodium })
      try {
        expect(store.integrityCheck()).toBe('ok')
        const stored = new Set(store.db.prepare('SELECT message_id FROM messages').pluck().all() as string[])
        const missing = all.filter((id) => !stored.has(id))
        expect(missing).toEqual([])
        expect(() => store.db.prepare("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')").run()).not.toThrow()
        // Every acknowledged attachment decrypts and matches its hash; any
        // file a kill left without a row was swept by open().
        for (const id of attachments) {
          let bytes = 0
          for await (const chunk of store.attachments.read(asAttachmentId(id))) bytes += chunk.length
          expect(bytes).toBe(200_000)
        }
        const rows = new Set(store.db.prepare('SELECT attachment_id FROM attachments').pluck().all() as string[])
        expect(readdirSync(store.attachments.directory).filter((name) => !rows.has(name))).toEqual([])
      } finally {
        store.close()
      }
    }
    expect(all.length).toBeGreaterThanOrEqual(554)
    expect(attachments.length).toBeGreaterThan(30)
  })
})
