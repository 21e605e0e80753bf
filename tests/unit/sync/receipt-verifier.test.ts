// Receipts built exactly as docs/relay-protocol.md section 3.3 specifies (RFC
// 9162 Merkle tree over receipt leaves, Ed25519 over the root), checked by the
// caching ReceiptVerifier and, for agreement, by relay-client's verifier.
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { ReceiptVerifier } from '../../../src/main/core/sync/receipt-verifier'
import { verifyRelayReceipt } from '../../../src/main/core/sync/relay-client'
import type { RelayReceipt } from '../../../src/main/core/sync/sync-store'
import { buildTree, hashLeaf, receiptLeaf, receiptRootMessage } from '../../../src/shared/relay/index'

const sha256 = (data: Uint8Array): Uint8Array => createHash('sha256').update(data).digest()

function relayIdentity(): { publicKey: Uint8Array; signRoot: (message: Uint8Array) => Uint8Array } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url')
  return { publicKey: new Uint8Array(raw), signRoot: (message) => new Uint8Array(sign(null, message, privateKey)) }
}

interface Sent {
  mailboxId: Uint8Array
  envelope: Uint8Array
  receipt: RelayReceipt & { leafIndex: number; treeSize: number; proof: Uint8Array[] }
}

/** One group commit of `count` envelopes, as the relay answers it. */
function groupCommit(relay: ReturnType<typeof relayIdentity>, count: number, receivedAt = 1_700_000_000_000): Sent[] {
  const items = Array.from({ length: count }, () => ({ mailboxId: new Uint8Array(randomBytes(32)), envelope: new Uint8Array(randomBytes(1024)) }))
  const leaves = items.map((item) => hashLeaf(sha256, receiptLeaf(sha256(item.envelope), item.mailboxId, receivedAt)))
  const { root, proofs } = buildTree(sha256, leaves)
  const signature = relay.signRoot(receiptRootMessage(root, count))
  return items.map((item, leafIndex) => ({
    ...item,
    receipt: { envelopeHash: sha256(item.envelope), receivedAt, signature, duplicate: false, leafIndex, treeSize: count, proof: proofs[leafIndex]! }
  }))
}

describe('ReceiptVerifier (relay-protocol 3.3)', () => {
  const relay = relayIdentity()

  it('accepts every receipt of a group commit, whatever its size', () => {
    const verifier = new ReceiptVerifier()
    for (const size of [1, 2, 3, 5, 8, 13, 64]) {
      for (const sent of groupCommit(relay, size)) expect(verifier.verify(relay.publicKey, sent.mailboxId, sent.envelope, sent.receipt)).toBe(true)
    }
  })

  it('refuses a receipt for other bytes, another mailbox, another time or another position', () => {
    const verifier = new ReceiptVerifier()
    const [first, second] = groupCommit(relay, 5)
    // Prime the cache with the commit's valid root first: it must not make forgeries pass.
    expect(verifier.verify(relay.publicKey, first!.mailboxId, first!.envelope, first!.receipt)).toBe(true)
    const otherBytes = first!.envelope.slice()
    otherBytes[0] = (otherBytes[0] ?? 0) ^ 1
    expect(verifier.verify(relay.publicKey, first!.mailboxId, otherBytes, first!.receipt)).toBe(false)
    expect(verifier.verify(relay.publicKey, second!.mailboxId, first!.envelope, first!.receipt)).toBe(false)
    expect(verifier.verify(relay.publicKey, first!.mailboxId, first!.envelope, { ...first!.receipt, receivedAt: first!.receipt.receivedAt + 1 })).toBe(false)
    expect(verifier.verify(relay.publicKey, first!.mailboxId, first!.envelope, { ...first!.receipt, leafIndex: 1 })).toBe(false)
    expect(verifier.verify(relay.publicKey, first!.mailboxId, first!.envelope, { ...first!.receipt, treeSize: 6 })).toBe(false)
    expect(verifier.verify(relay.publicKey, first!.mailboxId, first!.envelope, { ...first!.receipt, proof: [] })).toBe(false)
  })

  it('refuses a cached root presented with another signature or by another relay key', () => {
    const verifier = new ReceiptVerifier()
    const [sent] = groupCommit(relay, 4)
    expect(verifier.verify(relay.publicKey, sent!.mailboxId, sent!.envelope, sent!.receipt)).toBe(true)
    const forged = { ...sent!.receipt, signature: new Uint8Array(randomBytes(64)) }
    expect(verifier.verify(relay.publicKey, sent!.mailboxId, sent!.envelope, forged)).toBe(false)
    expect(verifier.verify(relayIdentity().publicKey, sent!.mailboxId, sent!.envelope, sent!.receipt)).toBe(false)
    expect(verifier.verify(new Uint8Array(32), sent!.mailboxId, sent!.envelope, sent!.receipt)).toBe(false)
  })

  it('refuses a receipt without its inclusion proof', () => {
    const [sent] = groupCommit(relay, 1)
    const { envelopeHash, receivedAt, signature, duplicate } = sent!.receipt
    expect(new ReceiptVerifier().verify(relay.publicKey, sent!.mailboxId, sent!.envelope, { envelopeHash, receivedAt, signature, duplicate })).toBe(false)
  })

  it('agrees with relay-client verifyRelayReceipt on random corruptions (property)', () => {
    const commit = groupCommit(relay, 7)
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 1023 }), (index, field, byte) => {
        const sent = commit[index]!
        // Uint8Array.from copies (Buffer#slice would share memory with the commit's nodes).
        const receipt = { ...sent.receipt, proof: sent.receipt.proof.map((node) => Uint8Array.from(node)), signature: Uint8Array.from(sent.receipt.signature) }
        const envelope = Uint8Array.from(sent.envelope)
        if (field === 1) envelope[byte] = (envelope[byte] ?? 0) ^ 0x80
        if (field === 2) receipt.signature[byte % 64] = (receipt.signature[byte % 64] ?? 0) ^ 0x01
        const node = receipt.proof[byte % Math.max(receipt.proof.length, 1)]
        if (field === 3 && node !== undefined) node[byte % 32] = (node[byte % 32] ?? 0) ^ 0x01
        if (field === 4) receipt.leafIndex = (receipt.leafIndex + 1 + (byte % 6)) % 7
        if (field === 5) receipt.receivedAt += 1 + byte
        const expected = verifyRelayReceipt(relay.publicKey, sent.mailboxId, envelope, receipt)
        expect(new ReceiptVerifier().verify(relay.publicKey, sent.mailboxId, envelope, receipt)).toBe(expected)
        expect(expected).toBe(field === 0)
      })
    )
  })
})
