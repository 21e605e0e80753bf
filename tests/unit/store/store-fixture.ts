import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadSodium } from '../../../src/main/core/crypto/sodium'
import type { SqliteDatabase } from '../../../src/main/core/store/encrypted-database'
import { openEncryptedDatabase } from '../../../src/main/core/store/encrypted-database'
import { TesseraStore } from '../../../src/main/core/store/tessera-store'
import type { ConversationId, MessageId } from '../../../src/shared/ids'
import { asConversationId, asMessageId } from '../../../src/shared/ids'
import type { NewMessage } from '../../../src/main/core/store/message-types'

/** A fresh directory under the OS temp dir; removed by the returned cleanup. */
export function makeTempDir(label: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `tessera-${label}-`))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

export function randomKey(): Uint8Array {
  return new Uint8Array(randomBytes(32))
}

/** A real encrypted database file in a temp dir, without migrations. */
export function openTempDatabase(label: string): { db: SqliteDatabase; path: string; key: Uint8Array; cleanup: () => void } {
  const { dir, cleanup } = makeTempDir(label)
  const path = join(dir, 'test.db')
  const key = randomKey()
  const db = openEncryptedDatabase(path, key)
  return {
    db,
    path,
    key,
    cleanup: () => {
      if (db.open) db.close()
      cleanup()
    }
  }
}

/** A real, migrated TesseraStore in a temp dir. */
export async function openTempStore(label: string): Promise<{ store: TesseraStore; dir: string; key: Uint8Array; cleanup: () => void }> {
  const { dir, cleanup } = makeTempDir(label)
  const key = randomKey()
  const store = await TesseraStore.open({ dataDir: dir, databaseKey: key, sodium: await loadSodium() })
  return {
    store,
    dir,
    key,
    cleanup: () => {
      store.close()
      cleanup()
    }
  }
}

let counter = 0

export function conversationId(name: string): ConversationId {
  return asConversationId(`conv-${name}`)
}

/** A message with sensible defaults; every call gets a new id unless one is given. */
export function message(conversation: ConversationId, overrides: Partial<NewMessage> = {}): NewMessage {
  counter++
  return {
    id: asMessageId(`msg-${process.pid}-${counter}`) as MessageId,
    conversationId: conversation,
    senderId: 'alice',
    direction: 'incoming',
    body: `hello ${counter}`,
    sentAt: 1_700_000_000_000 + counter,
    receivedAt: 1_700_000_000_000 + counter,
    status: 'received',
    ...overrides
  }
}
