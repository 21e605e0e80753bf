import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { buildTree, hashChildren, hashLeaf, rootFromInclusionProof } from '../../../src/shared/relay/index'

// docs/relay-protocol.md 3.3: receipt trees are RFC 9162 section 2.1 Merkle trees.
const sha256 = (data: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(data).digest())
const leaf = (i: number): Uint8Array => hashLeaf(sha256, new Uint8Array([i, i >> 8]))

/** RFC 9162 2.1.1 MTH, written recursively as in the RFC, as the reference. */
function referenceRoot(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 1) return leaves[0] as Uint8Array
  let k = 1
  while (k * 2 < leaves.length) k *= 2
  return hashChildren(sha256, referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)))
}

describe('receipt Merkle trees', () => {
  it('hashes leaves with 0x00 and nodes with 0x01 (RFC 9162 2.1.1)', () => {
    expect(Buffer.from(hashLeaf(sha256, new Uint8Array(0))).toString('hex')).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d')
  })

  it('matches the recursive definition and every inclusion proof verifies, for sizes 1..40', () => {
    for (let size = 1; size <= 40; size++) {
      const leaves = Array.from({ length: size }, (_, i) => leaf(i))
      const { root, proofs } = buildTree(sha256, leaves)
      expect(Buffer.from(root).equals(referenceRoot(leaves))).toBe(true)
      leaves.forEach((leafHash, index) => {
        const proof = proofs[index] as Uint8Array[]
        expect(proof.length).toBeLessThanOrEqual(Math.ceil(Math.log2(size)))
        expect(Buffer.from(rootFromInclusionProof(sha256, leafHash, index, size, proof) ?? []).equals(root)).toBe(true)
      })
    }
  })

  it('rejects a proof for another index, size, leaf or a tampered proof', () => {
    const leaves = Array.from({ length: 7 }, (_, i) => leaf(i))
    const { root, proofs } = buildTree(sha256, leaves)
    const proof = proofs[3] as Uint8Array[]
    const same = (value: Uint8Array | undefined): boolean => value !== undefined && Buffer.from(value).equals(root)
    expect(same(rootFromInclusionProof(sha256, leaves[3] as Uint8Array, 3, 7, proof))).toBe(true)
    expect(same(rootFromInclusionProof(sha256, leaves[3] as Uint8Array, 2, 7, proof))).toBe(false)
    // (Another tree size can imply the same root; the relay therefore signs the root together with the size.)
    expect(same(rootFromInclusionProof(sha256, leaves[4] as Uint8Array, 3, 7, proof))).toBe(false)
    const tampered = proof.map((p) => p.slice())
    ;(tampered[0] as Uint8Array)[0]! ^= 1
    expect(same(rootFromInclusionProof(sha256, leaves[3] as Uint8Array, 3, 7, tampered))).toBe(false)
    expect(rootFromInclusionProof(sha256, leaves[3] as Uint8Array, 7, 7, proof)).toBeUndefined()
    expect(rootFromInclusionProof(sha256, leaves[3] as Uint8Array, 3, 7, [...proof, proof[0] as Uint8Array])).toBeUndefined()
  })
})
