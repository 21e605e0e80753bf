import { aeadEncrypt } from '../primitives/aead'
import { concatBytes, lengthPrefixed, wipe, type RandomSource } from '../primitives/bytes'
import { ByteWriter } from '../primitives/byte-io'
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
  const headerNonce = context.random(24)
  const encryptedHeader = aeadEncrypt(state.sendHeaderKey, headerNonce, header, draft.associatedData)
  const prefix = new ByteWriter(28 + encryptedHeader.length)
    .u8(PROTOCOL_VERSION)
    .u8(StructureType.RatchetMessage)
    .bytes(headerNonce)
    .u16(encryptedHeader.length)
    .bytes(encryptedHeader)
    .finish()
  const key = messageBodyKey(step.messageKey, headerNonce)
  const body = aeadEncrypt(key, headerNonce, plaintext, lengthPrefixed(draft.associatedData, userAD, prefix))
  wipe(key, step.messageKey, header)
  draft.sendChainKey = step.chainKey
  draft.sendIndex += 1
  draft.pq = { ...draft.pq, messagesSinceStep: draft.pq.messagesSinceStep + 1 }
  return { state: draft, message: concatBytes(prefix, body) }
}
