/**
 * Merkle trees over receipt leaves, as in Certificate Transparency
 * (RFC 9162 section 2.1): leaf hash = H(0x00 || leaf), node hash =
 * H(0x01 || left || right), inclusion proofs per 2.1.3. The relay signs one
 * tree root per group commit instead of one signature per envelope
 * (docs/relay-protocol.md 3.3); each receipt carries its inclusion proof.
 * The hash function (SHA-256) is passed in: this module is pure TypeScript.
 */
export type Hash = (data: Uint8Array) => Uint8Array

/**
 * The prefixed hash inputs are built in one reused buffer (no allocation per
 * node: the relay hashes ~2 nodes per envelope). So a `Hash` must consume its
 * input before returning and never keep it, as a synchronous digest does.
 */
let scratch = new Uint8Array(128)
function scratchOf(size: number): Uint8Array {
  if (scratch.length < size) scratch = new Uint8Array(2 * size)
  return scratch.subarray(0, size)
}

export function hashLeaf(hash: Hash, leaf: Uint8Array): Uint8Array {
  const input = scratchOf(leaf.length + 1)
  input[0] = 0x00
  input.set(leaf, 1)
  return hash(input)
}

export function hashChildren(hash: Hash, left: Uint8Array, right: Uint8Array): Uint8Array {
  const input = scratchOf(1 + left.length + right.length)
  input[0] = 0x01
  input.set(left, 1)
  input.set(right, 1 + left.length)
  return hash(input)
}

/**
 * The root and every leaf's inclusion proof. Pairing level by level and
 * promoting an odd last node unchanged gives the same tree as RFC 9162's
 * recursive split at the largest power of two below n. A leaf's proof is its
 * sibling at each level where it has one, bottom up.
 */
export function buildTree(hash: Hash, leafHashes: readonly Uint8Array[]): { root: Uint8Array; proofs: Uint8Array[][] } {
  if (leafHashes.length === 0) throw new RangeError('a tree needs at least one leaf')
  const levels: (readonly Uint8Array[])[] = [leafHashes]
  let level = leafHashes
  while (level.length > 1) {
    const next = new Array<Uint8Array>((level.length + 1) >>> 1)
    for (let i = 0; i < level.length; i += 2) {
      next[i >>> 1] = i + 1 < level.length ? hashChildren(hash, level[i] as Uint8Array, level[i + 1] as Uint8Array) : (level[i] as Uint8Array)
    }
    levels.push(next)
    level = next
  }
  const proofs = new Array<Uint8Array[]>(leafHashes.length)
  for (let leaf = 0; leaf < leafHashes.length; leaf++) {
    const proof: Uint8Array[] = []
    let position = leaf
    for (let depth = 0; depth < levels.length - 1; depth++) {
      const row = levels[depth] as readonly Uint8Array[]
      const sibling = position ^ 1
      if (sibling < row.length) proof.push(row[sibling] as Uint8Array)
      position >>>= 1
    }
    proofs[leaf] = proof
  }
  return { root: level[0] as Uint8Array, proofs }
}

/** RFC 9162 section 2.1.3.2: the root implied by a leaf hash, its index, the tree size and the proof; undefined if inconsistent. */
export function rootFromInclusionProof(hash: Hash, leafHash: Uint8Array, leafIndex: number, treeSize: number, proof: readonly Uint8Array[]): Uint8Array | undefined {
  if (!Number.isInteger(leafIndex) || !Number.isInteger(treeSize) || leafIndex < 0 || leafIndex >= treeSize) return undefined
  let fn = leafIndex
  let sn = treeSize - 1
  let r = leafHash
  for (const p of proof) {
    if (sn === 0) return undefined
    if (fn % 2 === 1 || fn === sn) {
      r = hashChildren(hash, p, r)
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2)
          sn = Math.floor(sn / 2)
        }
      }
    } else {
      r = hashChildren(hash, r, p)
    }
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  return sn === 0 ? r : undefined
}
