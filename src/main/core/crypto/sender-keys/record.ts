import { aeadDecrypt, aeadEncrypt } from '../primitives/aead'
import { assertBytes, concatBytes, equalBytes, randomBytes, wipe, type RandomSource } from '../primitives/bytes'
import { ed25519Sign, ed25519Verify, generateEd25519KeyPair } from '../primitives/ed25519'
import { LABEL_SENDER_KEY_SIGNATURE } from '../primitives/labels'
import { CHAIN_KEY_BYTES, SENDER_KEY_NONCE_BYTES, messageKeySeed, nextChainKey, senderMessageKey } from './chain'
import {
  DISTRIBUTION_ID_BYTES,
  decodeDistribution,
  decodeGroupMessage,
  encodeDistribution,
  encodeGroupMessageHeader,
  encodeSignedPart
} from './messages'
import type { ChainState } from './state-codec'
import { cloneChain, decodeRecord, encodeRecord } from './state-codec'

/**
 * One sender's key for one group (docs/protocol.md section 8.3), as
 * libsignal's SenderKeyRecord: up to MAX_CHAINS chains (newest first) so
 * that messages sent just before a rotation still decrypt. Limits follow
 * the pairwise ratchet and libsignal (section 0.4): a forward jump over
 * MAX_FORWARD_JUMP is refused before any KDF work; at most
 * MAX_SKIPPED_KEYS skipped message keys per chain, oldest evicted.
 *
 * Decryption is transactional: it works on a copy of the chain and commits
 * only when the signature and the AEAD both verified.
 */

export const MAX_FORWARD_JUMP = 25_000
export const MAX_SKIPPED_KEYS = 2_000
export const MAX_CHAINS = 5

export type GroupDecryptFailure =
  | 'malformed'
  | 'wrong-distribution'
  | 'unknown-chain'
  | 'bad-signature'
  | 'too-far-ahead'
  | 'duplicate-or-expired'
  | 'decryption-failed'

export type GroupDecryptResult = { readonly ok: true; readonly plaintext: Uint8Array } | { readonly ok: false; readonly reason: GroupDecryptFailure }

export type DistributionResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'malformed' | 'wrong-distribution' | 'conflicting-chain' }

export class SenderKeyRecord {
  private constructor(
    readonly distributionId: Uint8Array,
    private chains: ChainState[]
  ) {}

  /** A fresh sending chain for `distributionId` (a random 16-byte id per group). */
  static createOwn(distributionId: Uint8Array, random: RandomSource = randomBytes): SenderKeyRecord {
    assertBytes(distributionId, DISTRIBUTION_ID_BYTES, 'distributionId')
    return new SenderKeyRecord(distributionId.slice(), [freshChain(random)])
  }

  /** An empty receiving record; fill it with processDistribution. */
  static createEmpty(distributionId: Uint8Array): SenderKeyRecord {
    assertBytes(distributionId, DISTRIBUTION_ID_BYTES, 'distributionId')
    return new SenderKeyRecord(distributionId.slice(), [])
  }

  static deserialize(bytes: Uint8Array): SenderKeyRecord | null {
    const decoded = decodeRecord(bytes, MAX_CHAINS, MAX_SKIPPED_KEYS)
    return decoded ? new SenderKeyRecord(decoded.distributionId, decoded.chains) : null
  }

  serialize(): Uint8Array {
    return encodeRecord(this.distributionId, this.chains)
  }

  get chainIds(): readonly number[] {
    return this.chains.map((c) => c.chainId)
  }

  /**
   * Rotation on membership change (section 8.4): every old chain is wiped and
   * replaced by a fresh one; send its distribution only to the members that
   * remain. A removed member keeps at most the old chain, which derives
   * nothing about the new one.
   */
  rotate(random: RandomSource = randomBytes): void {
    this.ownChain()
    for (const chain of this.chains) wipeChain(chain)
    this.chains = [freshChain(random)]
  }

  /** The distribution message of the current sending chain, at its current iteration. */
  distributionMessage(): Uint8Array {
    const chain = this.ownChain()
    return encodeDistribution({
      distributionId: this.distributionId,
      chainId: chain.chainId,
      iteration: chain.iteration,
      chainKey: chain.chainKey,
      signingKey: chain.signingKey
    })
  }

  processDistribution(bytes: Uint8Array): DistributionResult {
    const distribution = decodeDistribution(bytes)
    if (!distribution) return { ok: false, reason: 'malformed' }
    if (!equalBytes(distribution.distributionId, this.distributionId)) return { ok: false, reason: 'wrong-distribution' }
    const existing = this.chains.find((c) => c.chainId === distribution.chainId)
    if (existing) {
      // A repeated distribution of a known chain is harmless; a different key under the same id is not.
      return equalBytes(existing.signingKey, distribution.signingKey) ? { ok: true } : { ok: false, reason: 'conflicting-chain' }
    }
    this.chains.unshift({
      chainId: distribution.chainId,
      iteration: distribution.iteration,
      chainKey: distribution.chainKey,
      signingKey: distribution.signingKey,
      skipped: new Map()
    })
    for (const dropped of this.chains.splice(MAX_CHAINS)) wipeChain(dropped)
    return { ok: true }
  }

  /**
   * Encrypts and signs the next group message. `random` draws the message's
   * 24-byte nonce (fixed only in known-answer vectors): a sender state
   * restored from a backup never repeats a (key, nonce) pair (decision 0016).
   */
  encrypt(plaintext: Uint8Array, random: RandomSource = randomBytes): Uint8Array {
    assertBytes(plaintext, undefined, 'plaintext')
    const chain = this.ownChain()
    if (chain.iteration >= 0xffff_ffff) throw new RangeError('sender chain exhausted: rotate')
    const nonce = random(SENDER_KEY_NONCE_BYTES)
    assertBytes(nonce, SENDER_KEY_NONCE_BYTES, 'random output')
    const seed = messageKeySeed(chain.chainKey)
    const key = senderMessageKey(seed, nonce)
    const header = encodeGroupMessageHeader(this.distributionId, chain.chainId, chain.iteration, nonce)
    const ciphertext = aeadEncrypt(key, nonce, plaintext, header)
    const signedPart = encodeSignedPart(header, ciphertext)
    const signature = ed25519Sign(chain.signingSecretKey as Uint8Array, concatBytes(LABEL_SENDER_KEY_SIGNATURE, signedPart))
    const next = nextChainKey(chain.chainKey)
    wipe(seed, key, chain.chainKey)
    chain.chainKey = next
    chain.iteration += 1
    return concatBytes(signedPart, signature)
  }

  decrypt(bytes: Uint8Array): GroupDecryptResult {
    assertBytes(bytes, undefined, 'message')
    const message = decodeGroupMessage(bytes)
    if (!message) return { ok: false, reason: 'malformed' }
    if (!equalBytes(message.distributionId, this.distributionId)) return { ok: false, reason: 'wrong-distribution' }
    const index = this.chains.findIndex((c) => c.chainId === message.chainId)
    const current = this.chains[index]
    if (!current) return { ok: false, reason: 'unknown-chain' }
    // Signature first (libsignal does the same): a forged message costs no KDF work and changes nothing.
    if (!ed25519Verify(current.signingKey, concatBytes(LABEL_SENDER_KEY_SIGNATURE, message.signedBytes), message.signature)) {
      return { ok: false, reason: 'bad-signature' }
    }
    const working = cloneChain(current)
    const seed = takeMessageKeySeed(working, message.iteration)
    if (typeof seed === 'string') {
      wipeChain(working)
      return { ok: false, reason: seed }
    }
    const key = senderMessageKey(seed, message.nonce)
    const plaintext = aeadDecrypt(key, message.nonce, message.ciphertext, message.header)
    wipe(seed, key)
    if (plaintext === null) {
      wipeChain(working)
      return { ok: false, reason: 'decryption-failed' }
    }
    this.chains[index] = working
    wipeChain(current)
    return { ok: true, plaintext }
  }

  private ownChain(): ChainState & { signingSecretKey: Uint8Array } {
    const chain = this.chains[0]
    if (!chain?.signingSecretKey) throw new RangeError('this record has no sending chain')
    return chain as ChainState & { signingSecretKey: Uint8Array }
  }
}

function freshChain(random: RandomSource): ChainState {
  const id = random(4)
  assertBytes(id, 4, 'random output')
  const chainKey = random(CHAIN_KEY_BYTES)
  assertBytes(chainKey, CHAIN_KEY_BYTES, 'random output')
  const signing = generateEd25519KeyPair(random)
  const chainId = new DataView(id.buffer, id.byteOffset, 4).getUint32(0, false)
  return { chainId, iteration: 0, chainKey, signingKey: signing.publicKey, signingSecretKey: signing.secretKey, skipped: new Map() }
}

function wipeChain(chain: ChainState): void {
  wipe(chain.chainKey, chain.signingSecretKey, ...chain.skipped.values())
  chain.skipped.clear()
}

/**
 * The message key seed for `iteration`, advancing `chain` (a working copy)
 * and storing the seeds it skips; a string is the failure reason.
 */
function takeMessageKeySeed(chain: ChainState, iteration: number): Uint8Array | 'too-far-ahead' | 'duplicate-or-expired' {
  if (iteration < chain.iteration) {
    const seed = chain.skipped.get(iteration)
    if (!seed) return 'duplicate-or-expired'
    chain.skipped.delete(iteration)
    return seed
  }
  if (iteration - chain.iteration > MAX_FORWARD_JUMP) return 'too-far-ahead'
  while (chain.iteration < iteration) {
    chain.skipped.set(chain.iteration, messageKeySeed(chain.chainKey))
    if (chain.skipped.size > MAX_SKIPPED_KEYS) {
      const oldest = chain.skipped.keys().next().value as number
      wipe(chain.skipped.get(oldest))
      chain.skipped.delete(oldest)
    }
    advance(chain)
  }
  const seed = messageKeySeed(chain.chainKey)
  advance(chain)
  return seed
}

function advance(chain: ChainState): void {
  const next = nextChainKey(chain.chainKey)
  wipe(chain.chainKey)
  chain.chainKey = next
  chain.iteration += 1
}
