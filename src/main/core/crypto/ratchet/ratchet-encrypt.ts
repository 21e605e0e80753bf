import { AEAD_NONCE_BYTES, AEAD_TAG_BYTES, aeadEncryptInto } from '../primitives/aead'
import { assertBytes, wipe, type RandomSource } from '../primitives/bytes'
import { PROTOCOL_VERSION, StructureType } from '../primitives/encoding'
import { encodeHeader } from './header'
import { kdfChain, messageBodyKey } from './kdf'
import { maybeStartOffer } from './pq-step'
import { cloneState, type SessionState } from './session-state'

export interface RatchetContext {
  readonly now: number
  readonly random: RandomSource
}

/**
 * RatchetEncryptHE (Double Ratchet spec section 4), docs/protocol.md 4.4:
 *   nonce       = 24 random bytes (fresh per encryption)
 *   enc_header  = AEAD(HKs, nonce, header, AD)
 *   prefix      = 0x01 || 0x30 || nonce || u16 len(enc_header) || enc_header
 *   body        = AEAD(messageBodyKey(mk, nonce), nonce, plaintext, LP(AD) || LP(userAD) || LP(prefix))
 * LP is lengthPrefixed. Nothing about the body's (key, nonce) is a function
 * of the state alone, so re-encrypting from a rolled-back state never repeats
 * a (key, nonce) pair (decision 0016).
 * Returns a new state; the caller commits it.
 */
export function ratchetEncrypt(
  state: SessionState,
  plaintext: Uint8Array,
  userAD: Uint8Array,
  context: RatchetContext
): { state: SessionState; message: Uint8Array } {
  if (!state.sendChainKey || !state.sendHeaderKey) {
    throw new Error('session has no sending chain yet: a responder must receive a message first')
  }
  if (state.sendIndex >= 0xffff_ffff) throw new RangeError('sending chain exhausted')
  const draft = cloneState(state)
  maybeStartOffer(draft, context.now, context.random)
  const step = kdfChain(state.sendChainKey)
  const ownOffer = draft.pq.ownOffer
  const sendAnswer = draft.pq.sendAnswer
  const header = encodeHeader({
    ratchetKey: draft.sendRatchet.publicKey,
    previousCount: draft.previousSendCount,
    index: draft.sendIndex,
    ...(ownOffer ? { kemOffer: { id: ownOffer.id, publicKey: ownOffer.publicKey } } : {}),
    ...(sendAnswer ? { kemAnswer: sendAnswer } : {})
  })
  const headerNonce = context.random(AEAD_NONCE_BYTES)
  assertBytes(headerNonce, AEAD_NONCE_BYTES, 'random output')
  // The whole message in one buffer: prefix, then the body; both AEADs write straight into it.
  const prefixLength = 2 + AEAD_NONCE_BYTES + 2 + header.length + AEAD_TAG_BYTES
  const message = new Uint8Array(prefixLength + plaintext.length + AEAD_TAG_BYTES)
  message[0] = PROTOCOL_VERSION
  message[1] = StructureType.RatchetMessage
  message.set(headerNonce, 2)
  message[26] = (header.length + AEAD_TAG_BYTES) >>> 8
  message[27] = (header.length + AEAD_TAG_BYTES) & 0xff
  aeadEncryptInto(state.sendHeaderKey, headerNonce, header, [draft.associatedData], false, message, 28)
  const prefix = message.subarray(0, prefixLength)
  const key = messageBodyKey(step.messageKey, headerNonce)
  aeadEncryptInto(key, headerNonce, plaintext, [draft.associatedData, userAD, prefix], true, message, prefixLength)
  wipe(key, step.messageKey, header)
  draft.sendChainKey = step.chainKey
  draft.sendIndex += 1
  draft.pq = { ...draft.pq, messagesSinceStep: draft.pq.messagesSinceStep + 1 }
  return { state: draft, message }
}
