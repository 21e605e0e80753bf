import { equalBytes, wipe } from '../primitives/bytes'
import { kdfChain } from './kdf'
import { MAX_RECEIVER_CHAINS, MAX_SKIPPED_KEYS, MAX_SKIPPED_KEY_AGE_MS } from './limits'
import type { ReceiverChain, SessionState, SkippedKey } from './session-state'

/**
 * Receiving-chain bookkeeping on a draft state (docs/protocol.md section 4.5):
 * advancing a chain stores the keys of skipped messages (spec
 * SkipMessageKeys), bounded by MAX_SKIPPED_KEYS with oldest-first eviction.
 * Callers check MAX_FORWARD_JUMP before calling, so no KDF work is done for
 * an over-long jump.
 */
export function advanceChain(
  draft: SessionState,
  chain: ReceiverChain,
  targetIndex: number,
  now: number
): { chain: ReceiverChain; messageKey: Uint8Array } {
  const skipped = skipChainTo(draft, chain, targetIndex, now)
  const last = kdfChain(skipped.chainKey)
  if (skipped.chainKey !== chain.chainKey) wipe(skipped.chainKey)
  return { chain: { ...skipped, chainKey: last.chainKey, nextIndex: targetIndex + 1 }, messageKey: last.messageKey }
}

/**
 * Stores the keys of messages chain.nextIndex .. endIndex-1 as skipped and
 * returns the chain positioned at endIndex (spec SkipMessageKeysHE).
 */
export function skipChainTo(draft: SessionState, chain: ReceiverChain, endIndex: number, now: number): ReceiverChain {
  if (endIndex <= chain.nextIndex) return chain
  let chainKey = chain.chainKey
  // Only the last MAX_SKIPPED_KEYS skipped keys could survive eviction; derive but do not store the rest.
  const firstStored = Math.max(chain.nextIndex, endIndex - MAX_SKIPPED_KEYS)
  const stored: SkippedKey[] = []
  for (let index = chain.nextIndex; index < endIndex; index++) {
    const step = kdfChain(chainKey)
    if (chainKey !== chain.chainKey) wipe(chainKey)
    chainKey = step.chainKey
    if (index >= firstStored) stored.push({ headerKey: chain.headerKey, index, messageKey: step.messageKey, storedAt: now })
    else wipe(step.messageKey)
  }
  storeSkippedKeys(draft, stored)
  return { ...chain, chainKey, nextIndex: endIndex }
}

/** Appends skipped keys, evicting the oldest beyond MAX_SKIPPED_KEYS. */
function storeSkippedKeys(draft: SessionState, keys: SkippedKey[]): void {
  const all = draft.skippedKeys.concat(keys)
  draft.skippedKeys = all.length > MAX_SKIPPED_KEYS ? all.slice(all.length - MAX_SKIPPED_KEYS) : all
}

/** Removes and returns the stored key for (headerKey, index), if any. */
export function takeSkippedKey(draft: SessionState, headerKey: Uint8Array, index: number): Uint8Array | undefined {
  const position = draft.skippedKeys.findIndex((entry) => entry.index === index && equalBytes(entry.headerKey, headerKey))
  if (position < 0) return undefined
  const entry = draft.skippedKeys[position] as SkippedKey
  draft.skippedKeys = draft.skippedKeys.slice(0, position).concat(draft.skippedKeys.slice(position + 1))
  return entry.messageKey
}

/** Adds a new newest receiver chain; the oldest beyond MAX_RECEIVER_CHAINS is dropped with its skipped keys. */
export function pushReceiverChain(draft: SessionState, chain: ReceiverChain): void {
  const chains = [chain, ...draft.receiverChains]
  while (chains.length > MAX_RECEIVER_CHAINS) {
    const dropped = chains.pop() as ReceiverChain
    draft.skippedKeys = draft.skippedKeys.filter((entry) => !equalBytes(entry.headerKey, dropped.headerKey))
  }
  draft.receiverChains = chains
}

/** Evicts skipped keys older than MAX_SKIPPED_KEY_AGE_MS (they are kept oldest first). */
export function evictAgedSkippedKeys(draft: SessionState, now: number): void {
  const cutoff = now - MAX_SKIPPED_KEY_AGE_MS
  let firstFresh = 0
  while (firstFresh < draft.skippedKeys.length && (draft.skippedKeys[firstFresh] as SkippedKey).storedAt < cutoff) firstFresh++
  if (firstFresh > 0) draft.skippedKeys = draft.skippedKeys.slice(firstFresh)
}
