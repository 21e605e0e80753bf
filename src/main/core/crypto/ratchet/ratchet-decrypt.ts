import { aeadDecrypt, aeadDecryptParts } from '../primitives/aead'
import { equalBytes, wipe } from '../primitives/bytes'
import { generateX25519KeyPair, x25519 } from '../primitives/x25519'
import { decodeHeader, type RatchetHeader } from './header'
import { kdfRoot, messageBodyKey } from './kdf'
import { MAX_FORWARD_JUMP } from './limits'
import { decodeRatchetMessage, type RatchetMessageParts } from './message'
import { answerPeerOffer, notePeerOffer, receiveAnswer } from './pq-step'
import { advanceChain, evictAgedSkippedKeys, pushReceiverChain, skipChainTo, takeSkippedKey } from './receiving-chain'
import type { RatchetContext } from './ratchet-encrypt'
import { cloneState, wipeDropped, type ReceiverChain, type SessionState } from './session-state'

/**
 * Why a message did not decrypt. The state is unchanged in every case.
 * - malformed: framing or (authenticated) header contents invalid
 * - no-matching-chain: no header key of this session opens the header
 * - duplicate: the message key was already used or deleted (replay, FS)
 * - too-far-ahead: the jump exceeds MAX_FORWARD_JUMP (no KDF work done)
 * - invalid-key: the peer's ratchet key is a low-order point
 * - auth-failed: header opened but the body (or AD) did not authenticate
 */
export type RatchetFailure = 'malformed' | 'no-matching-chain' | 'duplicate' | 'too-far-ahead' | 'invalid-key' | 'auth-failed'

export type RatchetDecryptResult =
  | { ok: true; state: SessionState; plaintext: Uint8Array }
  | { ok: false; reason: RatchetFailure }

/**
 * RatchetDecryptHE (Double Ratchet spec section 4) on a draft copy of the
 * state (docs/protocol.md section 4.5-4.6); the caller commits the returned
 * state only on success, so failures leave the state byte-identical.
 */
export function ratchetDecrypt(state: SessionState, message: Uint8Array, userAD: Uint8Array, context: RatchetContext): RatchetDecryptResult {
  const parts = decodeRatchetMessage(message)
  if (!parts) return { ok: false, reason: 'malformed' }
  const draft = cloneState(state)
  const result = decryptOnDraft(draft, parts, userAD, context)
  // A failed draft may hold fresh secrets (derived chain keys, a new ratchet key): zero them.
  if (!result.ok) wipeDropped(draft, state)
  return result
}

function decryptOnDraft(
  draft: SessionState,
  parts: RatchetMessageParts,
  userAD: Uint8Array,
  context: RatchetContext
): RatchetDecryptResult {
  // Trial order: the current receiving chain, then NHKr (a new peer ratchet
  // key, the common case right after a reply), then the older chains (spec
  // TrySkippedMessageKeysHE). The header keys are independent random keys, so
  // at most one of them opens a header: the order changes no outcome, only
  // how many trials fail first (older chains used to be tried before NHKr).
  const chains = draft.receiverChains
  if (chains.length > 0) {
    const header = openHeader((chains[0] as ReceiverChain).headerKey, parts, draft.associatedData)
    if (header !== undefined) return decryptOnChain(draft, 0, header, parts, userAD, context)
  }
  const fresh = openHeader(draft.nextReceiveHeaderKey, parts, draft.associatedData)
  if (fresh !== undefined) return decryptOnNewChain(draft, fresh, parts, userAD, context)
  for (let i = 1; i < chains.length; i++) {
    const header = openHeader((chains[i] as ReceiverChain).headerKey, parts, draft.associatedData)
    if (header !== undefined) return decryptOnChain(draft, i, header, parts, userAD, context)
  }
  return { ok: false, reason: 'no-matching-chain' }
}

/** A message on receiver chain i, whose header key opened the header. */
function decryptOnChain(
  draft: SessionState,
  i: number,
  header: RatchetHeader | null,
  parts: RatchetMessageParts,
  userAD: Uint8Array,
  context: RatchetContext
): RatchetDecryptResult {
  const chain = draft.receiverChains[i] as ReceiverChain
  if (header === null || !equalBytes(header.ratchetKey, chain.ratchetKey)) return { ok: false, reason: 'malformed' }
  let messageKey: Uint8Array
  let fresh: boolean
  if (header.index < chain.nextIndex) {
    const stored = takeSkippedKey(draft, chain.headerKey, header.index)
    if (!stored) return { ok: false, reason: 'duplicate' }
    messageKey = stored
    fresh = false
  } else {
    if (header.index - chain.nextIndex > MAX_FORWARD_JUMP) return { ok: false, reason: 'too-far-ahead' }
    const advanced = advanceChain(draft, chain, header.index, context.now)
    draft.receiverChains[i] = advanced.chain
    messageKey = advanced.messageKey
    fresh = true
  }
  notePeerOffer(draft, header)
  return openBody(draft, messageKey, fresh, parts, userAD, context.now)
}

/** A new ratchet key from the peer (spec DHRatchetHE): NHKr opened the header. */
function decryptOnNewChain(
  draft: SessionState,
  header: RatchetHeader | null,
  parts: RatchetMessageParts,
  userAD: Uint8Array,
  context: RatchetContext
): RatchetDecryptResult {
  if (header === null) return { ok: false, reason: 'malformed' }
  const current = draft.receiverChains[0]
  // Limits first: no KDF or DH work for a jump we would refuse anyway.
  if (header.index > MAX_FORWARD_JUMP) return { ok: false, reason: 'too-far-ahead' }
  if (current && header.previousCount > current.nextIndex && header.previousCount - current.nextIndex > MAX_FORWARD_JUMP) {
    return { ok: false, reason: 'too-far-ahead' }
  }
  const receiveDh = x25519(draft.sendRatchet.secretKey, header.ratchetKey)
  if (!receiveDh) return { ok: false, reason: 'invalid-key' }
  const pqSecret = receiveAnswer(draft, header, context.now)
  if (pqSecret === 'invalid') return { ok: false, reason: 'malformed' }
  if (current) {
    // Keep the keys of the old chain's remaining messages (SkipMessageKeysHE up to pn).
    draft.receiverChains[0] = skipChainTo(draft, current, header.previousCount, context.now)
  }
  notePeerOffer(draft, header)
  const receiving = kdfRoot(draft.rootKey, receiveDh, pqSecret)
  wipe(receiveDh, pqSecret)
  const newChain: ReceiverChain = { ratchetKey: header.ratchetKey, headerKey: draft.nextReceiveHeaderKey, chainKey: receiving.chainKey, nextIndex: 0 }
  pushReceiverChain(draft, newChain)
  draft.nextReceiveHeaderKey = receiving.nextHeaderKey
  draft.remoteRatchetKey = header.ratchetKey

  // Our next sending chain (the second half of DHRatchetHE).
  draft.previousSendCount = draft.sendIndex
  draft.sendIndex = 0
  draft.sendHeaderKey = draft.nextSendHeaderKey
  draft.sendRatchet = generateX25519KeyPair(context.random)
  const sendDh = x25519(draft.sendRatchet.secretKey, header.ratchetKey)
  if (!sendDh) return { ok: false, reason: 'invalid-key' }
  const answerSecret = answerPeerOffer(draft, context.now, context.random)
  const sending = kdfRoot(receiving.rootKey, sendDh, answerSecret)
  wipe(sendDh, answerSecret, receiving.rootKey)
  draft.rootKey = sending.rootKey
  draft.sendChainKey = sending.chainKey
  draft.nextSendHeaderKey = sending.nextHeaderKey

  const advanced = advanceChain(draft, newChain, header.index, context.now)
  draft.receiverChains[0] = advanced.chain
  return openBody(draft, advanced.messageKey, true, parts, userAD, context.now)
}

/** undefined: this key does not open the header; null: it opens but the contents are malformed. */
function openHeader(headerKey: Uint8Array, parts: RatchetMessageParts, associatedData: Uint8Array): RatchetHeader | null | undefined {
  const plain = aeadDecrypt(headerKey, parts.headerNonce, parts.encryptedHeader, associatedData)
  if (!plain) return undefined
  const header = decodeHeader(plain)
  wipe(plain)
  return header
}

function openBody(
  draft: SessionState,
  messageKey: Uint8Array,
  freshKey: boolean,
  parts: RatchetMessageParts,
  userAD: Uint8Array,
  now: number
): RatchetDecryptResult {
  // Body: key from (mk, nonce), sealed under the same random nonce as the header (section 4.4).
  const key = messageBodyKey(messageKey, parts.headerNonce)
  const plaintext = aeadDecryptParts(key, parts.headerNonce, parts.body, [draft.associatedData, userAD, parts.prefix], true)
  wipe(key)
  if (freshKey) wipe(messageKey)
  if (!plaintext) return { ok: false, reason: 'auth-failed' }
  // Any authentic message from the peer proves it has the session: stop repeating the initial-message material.
  if (draft.pendingInitial) draft.pendingInitial = undefined
  draft.pq = { ...draft.pq, messagesSinceStep: draft.pq.messagesSinceStep + 1 }
  evictAgedSkippedKeys(draft, now)
  return { ok: true, state: draft, plaintext }
}
