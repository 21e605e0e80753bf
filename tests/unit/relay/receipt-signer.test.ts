import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { hashLeaf, receiptLeaf, receiptRootMessage, rootFromInclusionProof } from '../../../src/shared/relay/index'
import { signReceipts } from '../../../src/relay/receipt-signer'
import { RelayKey, verifyEd25519 } from '../../../src/relay/relay-key'
import { sha256, sha256ShortInto, shortHashBackend } from '../../../src/relay/sha256'

const reference = (data: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(data).digest())

describe('relay hashing', () => {
  it('sha256 and sha256ShortInto agree with node:crypto on every length up to 300 bytes', () => {
    const out = new Uint8Array(32)
    for (let length = 0; length <= 300; length++) {
      const data = new Uint8Array(randomBytes(length))
      sha256ShortInto(out, data)
      expect(out).toEqual(reference(data))
      expect(sha256(data)).toEqual(reference(data))
    }
  })

  it('uses native libsodium for short hashes on this machine', () => {
    expect(shortHashBackend).toBe('sodium-native')
  })
})

describe('signReceipts', () => {
  const relayKey = RelayKey.loadOrCreate(mkdtempSync(join(tmpdir(), 'tessera-receipts-')))

  it('gives every receipt of a commit a proof to one signed root, for trees of 1 to 40 leaves', () => {
    for (let size = 1; size <= 40; size++) {
      const subjects = Array.from({ length: size }, (_, i) => ({
        envelopeHash: reference(new Uint8Array([size, i])),
        mailboxId: new Uint8Array(randomBytes(32)),
        receivedAt: 1_790_000_000_000 + i
      }))
      const batch = signReceipts(relayKey, subjects)
      expect(batch.treeSize).toBe(size)
      expect(batch.proofs).toHaveLength(size)
      const roots = batch.proofs.map((proof, i) => {
        // What a client computes (docs/relay-protocol.md 3.3): node:crypto hashes over the shared leaf encoding.
        const leafHash = hashLeaf(reference, receiptLeaf(subjects[i]!.envelopeHash, subjects[i]!.mailboxId, subjects[i]!.receivedAt))
        const root = rootFromInclusionProof(reference, leafHash, i, size, proof)
        expect(root).toBeDefined()
        expect(verifyEd25519(relayKey.publicKey, receiptRootMessage(root!, size), batch.signature)).toBe(true)
        return Buffer.from(root!).toString('hex')
      })
      expect(new Set(roots).size).toBe(1)
    }
  })

  it('a receipt does not verify for another envelope, mailbox or time', () => {
    const subjects = [0, 1, 2].map((i) => ({ envelopeHash: reference(new Uint8Array([i])), mailboxId: new Uint8Array(32).fill(i), receivedAt: 1_000 + i }))
    const batch = signReceipts(relayKey, subjects)
    const verifies = (envelopeHash: Uint8Array, mailboxId: Uint8Array, receivedAt: number): boolean => {
      const root = rootFromInclusionProof(reference, hashLeaf(reference, receiptLeaf(envelopeHash, mailboxId, receivedAt)), 0, 3, batch.proofs[0]!)
      return root !== undefined && verifyEd25519(relayKey.publicKey, receiptRootMessage(root, 3), batch.signature)
    }
    expect(verifies(subjects[0]!.envelopeHash, subjects[0]!.mailboxId, 1_000)).toBe(true)
    expect(verifies(reference(new Uint8Array([9])), subjects[0]!.mailboxId, 1_000)).toBe(false)
    expect(verifies(subjects[0]!.envelopeHash, new Uint8Array(32).fill(7), 1_000)).toBe(false)
    expect(verifies(subjects[0]!.envelopeHash, subjects[0]!.mailboxId, 1_001)).toBe(false)
  })
})
