import type { RandomSource } from '../primitives/bytes'
import { generateXWingKeyPair, xwingDecapsulate, xwingEncapsulate } from '../primitives/xwing'
import type { RatchetHeader } from './header'
import { PQ_STEP_MESSAGE_INTERVAL, PQ_STEP_TIME_INTERVAL_MS } from './limits'
import type { SessionState } from './session-state'

/**
 * Sparse post-quantum ratchet step, docs/protocol.md section 5.
 * 1. When due (PQ_STEP_MESSAGE_INTERVAL messages or PQ_STEP_TIME_INTERVAL_MS
 *    since the last completed step) a party with no outstanding offer makes a
 *    fresh X-Wing key pair and carries (offerId, public key) in every header
 *    until it is answered.
 * 2. The peer answers at its next DH ratchet step: it encapsulates to the
 *    offer and mixes the shared secret into the root KDF of its new sending
 *    chain; every header of that chain carries (offerId, ciphertext).
 * 3. The offerer decapsulates when it ratchets onto that chain and mixes the
 *    same secret into the same root KDF step.
 */
export function maybeStartOffer(draft: SessionState, now: number, random: RandomSource): void {
  const pq = draft.pq
  // An unanswered offer of ours, or one of the peer's we are about to answer, is a step in progress.
  if (pq.ownOffer || pq.peerOffer) return
  const due = pq.messagesSinceStep >= PQ_STEP_MESSAGE_INTERVAL || now - pq.lastStepAt >= PQ_STEP_TIME_INTERVAL_MS
  if (!due) return
  const pair = generateXWingKeyPair(random)
  draft.pq = { ...pq, ownOffer: { id: pq.nextOfferId, secretKey: pair.secretKey, publicKey: pair.publicKey }, nextOfferId: pq.nextOfferId + 1 }
}

/** Remembers the peer's newest unanswered offer seen in an authenticated header. */
export function notePeerOffer(draft: SessionState, header: RatchetHeader): void {
  const offer = header.kemOffer
  if (!offer || offer.id <= draft.pq.lastAnsweredPeerOfferId) return
  if (draft.pq.peerOffer && draft.pq.peerOffer.id >= offer.id) return
  draft.pq = { ...draft.pq, peerOffer: { id: offer.id, publicKey: offer.publicKey } }
}

/** At our DH ratchet sending step: answer the peer's offer, returning the secret to mix in. */
export function answerPeerOffer(draft: SessionState, now: number, random: RandomSource): Uint8Array | undefined {
  const offer = draft.pq.peerOffer
  if (!offer) {
    if (draft.pq.sendAnswer) draft.pq = { ...draft.pq, sendAnswer: undefined }
    return undefined
  }
  const { ciphertext, sharedSecret } = xwingEncapsulate(offer.publicKey, random)
  draft.pq = {
    ...draft.pq,
    peerOffer: undefined,
    lastAnsweredPeerOfferId: offer.id,
    sendAnswer: { id: offer.id, ciphertext },
    messagesSinceStep: 0,
    lastStepAt: now
  }
  return sharedSecret
}

/**
 * At our DH ratchet receiving step: the secret of an answer to our offer,
 * undefined when the header carries no answer, or 'invalid' when it answers
 * an offer we do not have (a hostile or broken peer).
 */
export function receiveAnswer(draft: SessionState, header: RatchetHeader, now: number): Uint8Array | undefined | 'invalid' {
  const answer = header.kemAnswer
  if (!answer) return undefined
  const offer = draft.pq.ownOffer
  if (!offer || offer.id !== answer.id) return 'invalid'
  const secret = xwingDecapsulate(answer.ciphertext, offer.secretKey)
  draft.pq = { ...draft.pq, ownOffer: undefined, messagesSinceStep: 0, lastStepAt: now }
  return secret
}
