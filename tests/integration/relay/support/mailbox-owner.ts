import { createHash, createPublicKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto'
import { RelayClient } from '../../../../src/main/core/sync/relay-client'
import type { MailboxSigner } from '../../../../src/main/core/sync/relay-client'
import { padEnvelope, unpadEnvelope } from '../../../../src/shared/relay/index'
import type { PushFrames } from '../../../../src/shared/relay/index'

/** A mailbox owner for tests: a real Ed25519 key (node:crypto), a random mailbox id and delivery token. */
export interface MailboxOwner {
  signer: MailboxSigner
  mailboxId: Uint8Array
  deliveryToken: Uint8Array
}

export function newSigner(): MailboxSigner {
  const { privateKey } = generateKeyPairSync('ed25519')
  const publicKey = new Uint8Array(Buffer.from(createPublicKey(privateKey).export({ format: 'jwk' }).x as string, 'base64url'))
  return { publicKey, sign: (message) => new Uint8Array(sign(null, message, privateKey)) }
}

export function newOwner(): MailboxOwner {
  return { signer: newSigner(), mailboxId: new Uint8Array(randomBytes(32)), deliveryToken: new Uint8Array(randomBytes(32)) }
}

export const sha256 = (bytes: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(bytes).digest())
export const messageId = (): Uint8Array => new Uint8Array(randomBytes(16))
export const envelopeOf = (text: string): Uint8Array => padEnvelope(new TextEncoder().encode(text))
export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')

/** Connects, creates the mailbox (idempotent) and authenticates. */
export async function connectOwner(url: string, owner: MailboxOwner): Promise<RelayClient> {
  const client = await RelayClient.connect(url)
  await client.createMailbox(owner.mailboxId, owner.signer, sha256(owner.deliveryToken))
  await client.authenticate(owner.mailboxId, owner.signer)
  return client
}

export type Delivered = PushFrames['deliver']

/** Collects deliveries and queueEmpty pushes of one subscribed client. */
export class Inbox {
  readonly delivered: Delivered[] = []
  readonly dropped: PushFrames['dropped'][] = []
  queueEmpty: number | undefined
  private waiters: (() => void)[] = []

  constructor(client: RelayClient) {
    client.onPush('deliver', (frame) => {
      this.delivered.push(frame)
      this.notify()
    })
    client.onPush('dropped', (frame) => {
      this.dropped.push(frame)
      this.notify()
    })
    client.onPush('queueEmpty', (frame) => {
      this.queueEmpty = frame.lastSeq
      this.notify()
    })
  }

  /** Resolves once `predicate` holds (checked on every push), or rejects after `timeoutMs`. */
  until(predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
    if (predicate()) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for deliveries')), timeoutMs)
      const check = (): void => {
        if (predicate()) {
          clearTimeout(timer)
          resolve()
        } else this.waiters.push(check)
      }
      this.waiters.push(check)
    })
  }

  texts(): string[] {
    return this.delivered.map((frame) => new TextDecoder().decode(unpadEnvelope(frame.envelope)))
  }

  private notify(): void {
    const waiters = this.waiters
    this.waiters = []
    for (const waiter of waiters) waiter()
  }
}
