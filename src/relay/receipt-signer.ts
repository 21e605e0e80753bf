import { buildTree, hashLeaf, receiptLeaf, receiptRootMessage } from '../shared/relay/index'
import type { RelayKey } from './relay-key'
import { sha256 } from './sha256'

/** What a receipt frame carries besides the request id (docs/relay-protocol.md 3.3). */
export interface SignedReceipt {
  envelopeHash: Uint8Array
  receivedAt: number
  leafIndex: number
  treeSize: number
  proof: Uint8Array[]
  signature: Uint8Array
}

export interface ReceiptSubject {
  envelopeHash: Uint8Array
  mailboxId: Uint8Array
  receivedAt: number
}


/**
 * Signs the receipts of one group commit with one Ed25519 signature over the
 * root of a Merkle tree (RFC 9162 2.1) of their leaves; each receipt carries
 * its inclusion proof. A batch of one is a one-leaf tree with an empty proof.
 */
export function signReceipts(relayKey: RelayKey, subjects: readonly ReceiptSubject[]): SignedReceipt[] {
  if (subjects.length === 0) return []
  const leaves = subjects.map((subject) => hashLeaf(sha256, receiptLeaf(subject.envelopeHash, subject.mailboxId, subject.receivedAt)))
  const { root, proofs } = buildTree(sha256, leaves)
  const signature = relayKey.sign(receiptRootMessage(root, subjects.length))
  return subjects.map((subject, leafIndex) => ({
    envelopeHash: subject.envelopeHash,
    receivedAt: subject.receivedAt,
    leafIndex,
    treeSize: subjects.length,
    proof: proofs[leafIndex] as Uint8Array[],
    signature
  }))
}
