import { RECEIPT_LEAF_BYTES, buildTree, receiptRootMessage, writeReceiptLeaf } from '../shared/relay/index'
import type { RelayKey } from './relay-key'
import { sha256ShortInto } from './sha256'

/**
 * One commit's receipts (docs/relay-protocol.md 3.3): receipt i is subject i
 * with leafIndex i, the tree size, proofs[i] and the one signature.
 */
export interface SignedReceiptBatch {
  treeSize: number
  proofs: Uint8Array[][]
  signature: Uint8Array
}

export interface ReceiptSubject {
  envelopeHash: Uint8Array
  mailboxId: Uint8Array
  receivedAt: number
}

/** 0x00 || leaf, rebuilt in place for every leaf (RFC 9162 2.1.1 leaf hash input). */
const leafInput = new Uint8Array(1 + RECEIPT_LEAF_BYTES)

/**
 * Signs the receipts of one group commit with one Ed25519 signature over the
 * root of a Merkle tree (RFC 9162 2.1) of their leaves; each receipt carries
 * its inclusion proof. A batch of one is a one-leaf tree with an empty proof.
 * Every hash of the tree (n leaves, n - 1 nodes) is written into one buffer
 * allocated per commit instead of one Buffer per hash (decision 0048); the
 * proofs are views of it.
 */
export function signReceipts(relayKey: RelayKey, subjects: readonly ReceiptSubject[]): SignedReceiptBatch {
  if (subjects.length === 0) throw new RangeError('no receipts to sign')
  const digests = new Uint8Array(32 * (2 * subjects.length - 1))
  let used = 0
  const hashInto = (data: Uint8Array): Uint8Array => {
    const out = digests.subarray(used, (used += 32))
    sha256ShortInto(out, data)
    return out
  }
  const leaves = subjects.map((subject) => {
    leafInput[0] = 0x00
    writeReceiptLeaf(leafInput, 1, subject.envelopeHash, subject.mailboxId, subject.receivedAt)
    return hashInto(leafInput)
  })
  const { root, proofs } = buildTree(hashInto, leaves)
  return { treeSize: subjects.length, proofs, signature: relayKey.sign(receiptRootMessage(root, subjects.length)) }
}
