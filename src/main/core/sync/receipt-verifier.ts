// Verifies relay receipts (docs/relay-protocol.md section 3.3) with the
// expensive part done once per relay group commit. A receipt proves its
// envelope is a leaf of a Merkle tree (RFC 9162 section 2.1.3 inclusion
// proof) whose root the relay signed with Ed25519; all receipts of one group
// commit share that root and signature. Recomputing the root from the proof
// costs a few SHA-256 calls; the Ed25519 verification (~100 us, the largest
// single cost of sending a message) is remembered for each (relay key, root,
// tree size, signature) that verified, so a burst of sends verifies one
// signature per commit. Same checks as relay-client.ts verifyRelayReceipt.
import { createHash, createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto'
import { hashLeaf, receiptLeaf, receiptRootMessage, rootFromInclusionProof } from '../../../shared/relay/index'
import type { RelayReceipt } from './sync-store'

/** Signed roots remembered; a relay commits many times a second, so a small window covers a burst. */
const REMEMBERED_ROOTS = 256

const sha256 = (data: Uint8Array): Uint8Array => createHash('sha256').update(data).digest()

export class ReceiptVerifier {
  private readonly verifiedRoots = new Set<string>()
  private readonly keys = new Map<string, KeyObject | null>()

  /** True when `receipt` proves the relay holding `relayKey` stored exactly `envelope` for `mailboxId`. */
  verify(relayKey: Uint8Array, mailboxId: Uint8Array, envelope: Uint8Array, receipt: RelayReceipt): boolean {
    if (receipt.leafIndex === undefined || receipt.treeSize === undefined || receipt.proof === undefined) return false
    const envelopeHash = sha256(envelope)
    if (!Buffer.from(envelopeHash).equals(receipt.envelopeHash)) return false
    let root: Uint8Array | undefined
    try {
      const leaf = hashLeaf(sha256, receiptLeaf(envelopeHash, mailboxId, receipt.receivedAt))
      root = rootFromInclusionProof(sha256, leaf, receipt.leafIndex, receipt.treeSize, receipt.proof)
    } catch {
      return false // a field out of range (e.g. receivedAt beyond u64)
    }
    if (root === undefined) return false
    const rootKey = `${hex(relayKey)}:${hex(root)}:${receipt.treeSize}:${hex(receipt.signature)}`
    if (this.verifiedRoots.has(rootKey)) return true
    const key = this.publicKey(relayKey)
    if (key === null) return false
    let valid: boolean
    try {
      valid = verifySignature(null, receiptRootMessage(root, receipt.treeSize), key, receipt.signature)
    } catch {
      return false
    }
    if (valid) this.remember(rootKey)
    return valid
  }

  private remember(rootKey: string): void {
    if (this.verifiedRoots.size >= REMEMBERED_ROOTS) {
      // Sets iterate in insertion order: drop the oldest.
      const oldest = this.verifiedRoots.values().next().value
      if (oldest !== undefined) this.verifiedRoots.delete(oldest)
    }
    this.verifiedRoots.add(rootKey)
  }

  private publicKey(relayKey: Uint8Array): KeyObject | null {
    const id = hex(relayKey)
    let key = this.keys.get(id)
    if (key === undefined) {
      try {
        key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(relayKey).toString('base64url') }, format: 'jwk' })
      } catch {
        key = null // not an Ed25519 public key
      }
      if (this.keys.size >= REMEMBERED_ROOTS) this.keys.clear()
      this.keys.set(id, key)
    }
    return key
  }
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}
