// A mailbox on a real relay, created the way a client creates it
// (relay-protocol section 3.1): random 32-byte id, an Ed25519 owner key, and
// the verifier of the delivery token that contacts derive from the owner's
// profile secret (protocol.md section 7.2), so every sync test also checks
// that the crypto core and the relay agree on that hash.
import { randomBytes } from 'node:crypto'
import { deliveryTokenVerifier, deriveDeliveryToken, generateProfileSecret } from '../../../../src/main/core/crypto/sealed-sender/delivery-token'
import { loadSodium } from '../../../../src/main/core/crypto/sodium'
import { ed25519Sign, generateEd25519KeyPair } from '../../../../src/main/core/crypto/primitives/ed25519'
import { formatContactAddress, normaliseRelayUrl } from '../../../../src/main/core/sync/contact-address'
import { RelayClient, type MailboxSigner } from '../../../../src/main/core/sync/relay-client'

export interface TestMailbox {
  readonly relayUrl: string
  readonly mailboxId: Uint8Array
  readonly deliveryToken: Uint8Array
  readonly signer: MailboxSigner
  /** tessera:<relay-url>#<mailbox-id>, what a contact would be given. */
  readonly address: string
}

export async function createTestMailbox(relayUrl: string): Promise<TestMailbox> {
  const keys = generateEd25519KeyPair()
  const signer: MailboxSigner = { publicKey: keys.publicKey, sign: (message) => ed25519Sign(keys.secretKey, message) }
  const mailboxId = new Uint8Array(randomBytes(32))
  await loadSodium()
  const deliveryToken = deriveDeliveryToken(generateProfileSecret(), mailboxId)
  const client = await RelayClient.connect(relayUrl)
  try {
    await client.createMailbox(mailboxId, signer, deliveryTokenVerifier(deliveryToken))
  } finally {
    await client.close()
  }
  const normalised = normaliseRelayUrl(relayUrl)
  return { relayUrl: normalised, mailboxId, deliveryToken, signer, address: formatContactAddress({ relayUrl: normalised, mailboxId }) }
}
