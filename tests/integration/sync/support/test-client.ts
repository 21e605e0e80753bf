// One messenger client for the sync tests: its own encrypted database file,
// its own mailbox, and a SyncEngine wired to the real store. Restarting it
// closes the database and builds a fresh engine from the same file, which is
// what a process restart does.
import { randomBytes } from 'node:crypto'
import { parseContactAddress } from '../../../../src/main/core/sync/contact-address'
import type { BackoffPolicy } from '../../../../src/main/core/sync/backoff'
import { storeBackedSync, type StoreBackedSync } from '../../../../src/main/core/sync/store-backed-sync'
import { SyncEngine } from '../../../../src/main/core/sync/sync-engine'
import { SyncEvents, type ConnectionStateChanged, type SyncProgress } from '../../../../src/main/core/sync/sync-events'
import { aeadDecryptStep, sealTestMessage, type AeadDecryptStats } from './aead-envelopes'
import { countMessages, createTempStore, storedMessageIds, type TempStore } from './temp-store'
import type { TestMailbox } from './test-account'
import type { DecryptedInbound } from '../../../../src/main/core/sync/store-backed-sync'

/** Fast reconnects keep the tests short; the policy's shape is the same as production's. */
export const TEST_RECONNECT: BackoffPolicy = { baseMs: 100, capMs: 1_000, stableAfterMs: 2_000 }

export interface EngineTuning {
  readonly maxBatch?: number
  readonly sendWindow?: number
  readonly idleSendSessionMs?: number
}

export interface Contact {
  readonly address: string
  readonly deliveryToken: Uint8Array
}

export class TestClient {
  readonly store: TempStore
  readonly stats: AeadDecryptStats = { decrypted: 0, undecryptable: 0, batches: 0, largestBatch: 0 }
  readonly states: ConnectionStateChanged[] = []
  readonly progress: SyncProgress[] = []
  /** Envelopes that arrived through the first-contact queue (sent without a delivery token). */
  firstContactSeen = 0
  engine: SyncEngine<DecryptedInbound>
  sync: StoreBackedSync

  private constructor(
    readonly name: string,
    readonly mailbox: TestMailbox,
    readonly sharedKey: Uint8Array,
    store: TempStore,
    private readonly engineOptions: EngineTuning
  ) {
    this.store = store
    this.sync = storeBackedSync(store.store)
    this.engine = this.buildEngine()
  }

  /** `sharedKey` stands in for the pairwise session (see aead-envelopes.ts). */
  static async create(name: string, mailbox: TestMailbox, sharedKey: Uint8Array, engineOptions: EngineTuning = {}): Promise<TestClient> {
    return new TestClient(name, mailbox, sharedKey, await createTempStore(`tessera-${name}-`), engineOptions)
  }

  private buildEngine(): SyncEngine<DecryptedInbound> {
    const events = new SyncEvents()
    events.on('connectionStateChanged', (event) => this.states.push(event))
    events.on('syncProgress', (event) => this.progress.push(event))
    return new SyncEngine<DecryptedInbound>({
      mailboxes: [{ relayUrl: this.mailbox.relayUrl, mailboxId: this.mailbox.mailboxId, signer: this.mailbox.signer }],
      inbound: this.sync.inbound,
      outbox: this.sync.outbox,
      decrypt: (batch) => {
        this.firstContactSeen += batch.envelopes.filter((envelope) => envelope.firstContact).length
        return aeadDecryptStep(this.sharedKey, `peer-of-${this.name}`, this.stats)(batch)
      },
      events,
      reconnect: TEST_RECONNECT,
      outboxPolicy: { baseMs: 100, capMs: 1_000, maxAgeMs: 3_600_000 },
      outboxScanMs: 200,
      pingIntervalMs: 5_000,
      connectTimeoutMs: 3_000,
      requestTimeoutMs: 5_000,
      ...this.engineOptions
    })
  }

  start(): void {
    this.engine.start()
  }

  /** Seals a text message for `contact` and hands it to the engine's durable outbox. */
  sendText(contact: Contact, id: string, body: string): string {
    const { relayUrl, mailboxId } = parseContactAddress(contact.address)
    const envelope = sealTestMessage(this.sharedKey, mailboxId, { id, body, sentAt: Date.now() })
    return this.engine.send({ relayUrl, mailboxId, deliveryToken: contact.deliveryToken, envelope, messageId: new Uint8Array(randomBytes(16)) })
  }

  messageCount(): number {
    return countMessages(this.store.db)
  }

  messageIds(): string[] {
    return storedMessageIds(this.store.db)
  }

  /** Rows in the outbox that are still pending. */
  pendingOutbox(): number {
    return this.store.db.prepare(`SELECT count(*) FROM outbox WHERE state = 'pending'`).pluck().get() as number
  }

  /** Stops the engine, closes the database and opens everything again from the same file. */
  async restart(): Promise<void> {
    await this.engine.stop()
    await this.store.reopen()
    this.sync = storeBackedSync(this.store.store)
    this.engine = this.buildEngine()
  }

  async dispose(): Promise<void> {
    await this.engine.stop()
    this.store.dispose()
  }

  asContact(): Contact {
    return { address: this.mailbox.address, deliveryToken: this.mailbox.deliveryToken }
  }
}

export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
