import type { X25519KeyPair } from '../primitives/x25519'

/** A receiving chain (Double Ratchet spec section 4: HKr/CKr/Nr, one per remote ratchet key). */
export interface ReceiverChain {
  readonly ratchetKey: Uint8Array
  readonly headerKey: Uint8Array
  readonly chainKey: Uint8Array
  readonly nextIndex: number
}

/** A stored key of a skipped message (spec MKSKIPPED, keyed by header key and index). */
export interface SkippedKey {
  readonly headerKey: Uint8Array
  readonly index: number
  readonly messageKey: Uint8Array
  readonly storedAt: number
}

/** What the initiator repeats in every message until the first reply (section 3.3). */
export interface PendingInitial {
  readonly senderCertificate: Uint8Array
  readonly signedPreKeyId: number
  readonly oneTimePreKeyId: number | undefined
  readonly kemPreKeyId: number
  readonly baseKey: Uint8Array
  readonly kemCiphertext: Uint8Array
}

/** Sparse PQ ratchet bookkeeping (docs/protocol.md section 5). */
export interface PqState {
  /** Our outstanding X-Wing offer, carried in every header until answered. */
  readonly ownOffer: { readonly id: number; readonly secretKey: Uint8Array; readonly publicKey: Uint8Array } | undefined
  readonly nextOfferId: number
  /** The peer's newest unanswered offer, answered at our next DH ratchet step. */
  readonly peerOffer: { readonly id: number; readonly publicKey: Uint8Array } | undefined
  readonly lastAnsweredPeerOfferId: number
  /** The answer carried by every header of the current sending chain. */
  readonly sendAnswer: { readonly id: number; readonly ciphertext: Uint8Array } | undefined
  readonly messagesSinceStep: number
  readonly lastStepAt: number
}

/**
 * One Double Ratchet session with header encryption (spec section 4 state
 * variables; names in comments). Buffers are never mutated in place: every
 * update assigns new arrays, so a shallow clone is a safe draft for
 * transactional decryption (section 4.6).
 */
export interface SessionState {
  /** AD bound into every header and body (section 3.2). */
  associatedData: Uint8Array
  /** The initiator's PQXDH ephemeral key: identifies the session for initial-message replays. */
  baseKey: Uint8Array
  isInitiator: boolean
  /** The peer's device certificate bytes (section 1.2). */
  remoteCertificate: Uint8Array
  rootKey: Uint8Array // RK
  sendRatchet: X25519KeyPair // DHs
  remoteRatchetKey: Uint8Array | undefined // DHr
  sendChainKey: Uint8Array | undefined // CKs
  sendHeaderKey: Uint8Array | undefined // HKs
  nextSendHeaderKey: Uint8Array // NHKs
  sendIndex: number // Ns
  previousSendCount: number // PN
  nextReceiveHeaderKey: Uint8Array // NHKr
  receiverChains: ReceiverChain[] // newest first; [0] holds HKr/CKr/Nr
  skippedKeys: SkippedKey[] // oldest first
  pendingInitial: PendingInitial | undefined
  pq: PqState
}

/**
 * A draft copy for a transaction. receiverChains is copied because chains are
 * replaced by index; skippedKeys is shared because every update builds a new
 * array (concat/slice/filter in receiving-chain.ts), never mutating in place.
 */
export function cloneState(state: SessionState): SessionState {
  return { ...state, receiverChains: state.receiverChains.slice() }
}

/** Every secret buffer the state references (for wiping what a commit dropped). */
export function secretBuffers(state: SessionState, includeSkipped = true): Uint8Array[] {
  const out: Uint8Array[] = [state.rootKey, state.sendRatchet.secretKey, state.nextSendHeaderKey, state.nextReceiveHeaderKey]
  if (state.sendChainKey) out.push(state.sendChainKey)
  if (state.sendHeaderKey) out.push(state.sendHeaderKey)
  for (const chain of state.receiverChains) out.push(chain.headerKey, chain.chainKey)
  if (includeSkipped) for (const skipped of state.skippedKeys) out.push(skipped.headerKey, skipped.messageKey)
  if (state.pq.ownOffer) out.push(state.pq.ownOffer.secretKey)
  return out
}

/** Zeroes the secrets of `dropped` that `kept` no longer references. */
export function wipeDropped(dropped: SessionState, kept: SessionState | undefined): void {
  // An unchanged skipped-key list (the common case) need not be compared entry by entry.
  const sameSkipped = kept !== undefined && kept.skippedKeys === dropped.skippedKeys
  const keptBuffers = kept ? secretBuffers(kept, !sameSkipped) : []
  // A linear scan beats building a Set for the dozen buffers of a typical state.
  const keep: { has(buffer: Uint8Array): boolean } = keptBuffers.length > 32 ? new Set(keptBuffers) : { has: (buffer) => keptBuffers.includes(buffer) }
  for (const buffer of secretBuffers(dropped, !sameSkipped)) if (!keep.has(buffer)) buffer.fill(0)
}
