import { randomBytes } from 'node:crypto'
import { existsSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadSodium } from '../../../src/main/core/crypto/sodium'
import { MIGRATIONS } from '../../../src/main/core/store/migrations'
import { TesseraStore } from '../../../src/main/core/store/tessera-store'
import { conversationId, makeTempDir, message, randomKey } from './store-fixture'

const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()))

function tempDir(): string {
  const { dir, cleanup } = makeTempDir('tessera-store')
  cleanups.push(cleanup)
  return join(dir, 'profile')
}

describe('TesseraStore.open', () => {
  it('creates the profile layout (0700 dirs, 0600 database) at the newest schema', async () => {
    const dataDir = tempDir()
    const store = await TesseraStore.open({ dataDir, databaseKey: randomKey(), sodium: await loadSodium() })
    expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
    expect(statSync(dataDir).mode & 0o777).toBe(0o700)
    expect(statSync(store.paths.attachments).mode & 0o777).toBe(0o700)
    expect(statSync(store.paths.database).mode & 0o777).toBe(0o600)
    expect(store.integrityCheck()).toBe('ok')
    store.close()
  })

  it('keeps data across reopen and refuses a wrong key with wrong-key', async () => {
    const dataDir = tempDir()
    const key = randomKey()
    const sodium = await loadSodium()
    const store = await TesseraStore.open({ dataDir, databaseKey: key, sodium })
    const chat = conversationId('persist')
    store.conversations.create({ id: chat, kind: 'direct', createdAt: 1, members: [] })
    const m = message(chat, { body: 'still here' })
    store.messages.insert(m)
    store.close()
    await expect(TesseraStore.open({ dataDir, databaseKey: new Uint8Array(randomBytes(32)), sodium })).rejects.toMatchObject({ code: 'wrong-key' })
    const reopened = await TesseraStore.open({ dataDir, databaseKey: key, sodium })
    expect(reopened.messages.get(m.id)?.body).toBe('still here')
    reopened.close()
  })

  it('refuses a newer schema and closes the connection', async () => {
    const dataDir = tempDir()
    const key = randomKey()
    const sodium = await loadSodium()
    const store = await TesseraStore.open({ dataDir, databaseKey: key, sodium })
    store.db.pragma(`user_version=${MIGRATIONS.length + 5}`)
    store.close()
    await expect(TesseraStore.open({ dataDir, databaseKey: key, sodium })).rejects.toMatchObject({ code: 'schema-too-new' })
  })

  it('removes orphaned attachment files on open', async () => {
    const dataDir = tempDir()
    const key = randomKey()
    const sodium = await loadSodium()
    ;(await TesseraStore.open({ dataDir, databaseKey: key, sodium })).close()
    const orphan = join(dataDir, 'attachments', 'left-by-a-crash')
    writeFileSync(orphan, 'x')
    const store = await TesseraStore.open({ dataDir, databaseKey: key, sodium })
    expect(existsSync(orphan)).toBe(false)
    store.close()
  })
})
