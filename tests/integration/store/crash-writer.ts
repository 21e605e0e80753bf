// Child process for crash-safety.test.ts: writes messages into a real store
// as fast as it can and prints each message id on stdout only after the
// write returned (stdout to a pipe is synchronous on Linux), until killed.
import { loadSodium } from '../../../src/main/core/crypto/sodium'
import { TesseraStore } from '../../../src/main/core/store/tessera-store'
import { asAttachmentId, asConversationId, asMessageId } from '../../../src/shared/ids'

const [dataDir, keyHex, round] = process.argv.slice(2)
if (dataDir === undefined || keyHex === undefined || round === undefined) throw new Error('usage: crash-writer DATA_DIR KEY_HEX ROUND')

const store = await TesseraStore.open({ dataDir, databaseKey: new Uint8Array(Buffer.from(keyHex, 'hex')), sodium: await loadSodium() })
const conversation = asConversationId('crash')
store.conversations.create({ id: conversation, kind: 'direct', createdAt: 0, members: [] })
process.stdout.write('ready\n')
const mailbox = { relayUrl: 'wss://relay.example', mailboxId: new Uint8Array(32) }
for (let i = 0; ; i++) {
  const now = Date.now()
  const id = asMessageId(`r${round}-m${i}`)
  const message = { id, conversationId: conversation, senderId: 'bob', direction: 'incoming' as const, body: `crash test message ${i} `.repeat(8), sentAt: now, receivedAt: now, status: 'received' as const }
  if (i % 2 === 0) {
    store.messages.insert(message)
  } else {
    // The batch path too: message, session state and cursor in one transaction.
    store.storeReceivedBatch({ messages: [message], sessionUpdates: [{ accountId: 'bob', deviceId: 'd', formatVersion: 1, state: new Uint8Array(600).fill(i & 255) }], cursor: { mailbox, lastSeq: Number(round) * 1_000_000 + i } })
  }
  process.stdout.write(`${id}\n`)
  if (i % 10 === 5) {
    // Every tenth message carries a 200 KB attachment (4 secretstream chunks),
    // so kills also land mid-encryption, between file rename and row insert.
    const attachmentId = asAttachmentId(`r${round}-a${i}`)
    await store.attachments.add({ id: attachmentId, messageId: id, fileName: 'f.bin', mimeType: 'application/octet-stream', createdAt: now, source: filler(i) })
    process.stdout.write(`attachment ${attachmentId}\n`)
  }
}

async function* filler(seed: number): AsyncGenerator<Uint8Array> {
  for (let k = 0; k < 4; k++) yield new Uint8Array(50_000).fill((seed + k) & 255)
}
