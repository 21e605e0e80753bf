import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { asAttachmentId, asContactId } from '../../../src/shared/ids'
import { conversationId, makeTempDir, message, openTempStore } from '../../unit/store/store-fixture'

/** Every file under the data directory (database, -wal, -shm, attachments, key files). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
}

function leaks(dir: string, canaries: readonly string[]): string[] {
  const found: string[] = []
  for (const path of filesUnder(dir)) {
    const bytes = readFileSync(path)
    for (const canary of canaries) {
      for (const encoding of ['utf8', 'utf16le'] as const) {
        if (bytes.includes(Buffer.from(canary, encoding))) found.push(`${path}: ${canary} (${encoding})`)
      }
    }
  }
  return found
}

describe('nothing readable at rest', () => {
  it('the database, its -wal and the attachment files contain none of the stored strings', async () => {
    const { store, dir, cleanup } = await openTempStore('at-rest')
    try {
      const tag = randomBytes(6).toString('hex')
      const canaries = [`body-canary-${tag}`, `title-canary-${tag}`, `contact-canary-${tag}`, `file-canary-${tag}`, `setting-canary-${tag}`, `session-canary-${tag}`, `photo-${tag}.jpg`]
      const chat = conversationId(`c${tag}`)
      store.conversations.create({ id: chat, kind: 'group', title: canaries[1], createdAt: 1, members: [{ memberId: 'bob' }] })
      store.contacts.recordIdentityKey({ id: asContactId('bob'), displayName: canaries[2]!, identityPublicKey: new Uint8Array(32), at: 1 })
      store.settings.set('profile.status', canaries[4]!)
      store.sessions.put({ accountId: 'bob', deviceId: 'd', formatVersion: 1, state: Buffer.from(canaries[5]!) })
      const messages = Array.from({ length: 300 }, (_, i) => message(chat, { body: `${canaries[0]} number ${i}` }))
      store.messages.insertMany(messages)
      const fileBody = Buffer.from(`${canaries[3]} `.repeat(20_000))
      await store.attachments.add({
        id: asAttachmentId(`a${tag}`),
        messageId: messages[0]!.id,
        fileName: canaries[6]!,
        mimeType: 'image/jpeg',
        createdAt: 1,
        source: (async function* () {
          yield fileBody
        })()
      })
      expect(store.search.search(`body-canary-${tag}`).hits.length).toBeGreaterThan(0)

      // While open: the committed data sits in the -wal file.
      expect(existsSync(`${store.paths.database}-wal`)).toBe(true)
      expect(statSync(`${store.paths.database}-wal`).size).toBeGreaterThan(0)
      expect(leaks(dir, canaries)).toEqual([])

      store.close()
      expect(leaks(dir, canaries)).toEqual([])
    } finally {
      cleanup()
    }
  })

  it('control: the same scan finds the strings in a plain (unencrypted) SQLite database and its -wal', () => {
    const { dir, cleanup } = makeTempDir('plain-control')
    try {
      const db = new Database(join(dir, 'plain.db'))
      db.pragma('journal_mode=WAL')
      db.exec("CREATE TABLE t (body TEXT); INSERT INTO t VALUES ('body-canary-control')")
      expect(leaks(dir, ['body-canary-control']).some((hit) => hit.includes('plain.db-wal'))).toBe(true)
      db.close()
      expect(leaks(dir, ['body-canary-control'])).not.toEqual([])
    } finally {
      cleanup()
    }
  })
})
