import { hkdfSha256 } from '../primitives/hkdf'
import { hmacSha256, hmacSha256Many } from '../primitives/hmac'
import {
  CHAIN_KDF_CHAIN_KEY_INPUT,
  CHAIN_KDF_MESSAGE_KEY_INPUT,
  LABEL_MESSAGE_BODY_KEY,
  LABEL_RATCHET_ROOT,
  LABEL_RATCHET_ROOT_PQ
} from '../primitives/labels'
import { assertBytes, concatBytes, wipe } from '../primitives/bytes'

/** docs/protocol.md section 4.2. */
export interface RootStep {
  readonly rootKey: Uint8Array
  readonly chainKey: Uint8Array
  readonly nextHeaderKey: Uint8Array
}

/**
 * KDF_RK_HE (Double Ratchet spec sections 4.2 and 5.2):
 * HKDF(ikm = dh_out [|| pq_secret], salt = rk, info, 96) -> rk' || ck || nhk.
 * With a PQ secret (section 5) the info label changes too, so a step with and
 * without a KEM secret can never produce the same keys.
 */
export function kdfRoot(rootKey: Uint8Array, dhOutput: Uint8Array, pqSecret?: Uint8Array): RootStep {
  const ikm = pqSecret ? concatBytes(dhOutput, pqSecret) : dhOutput
  const out = hkdfSha256(ikm, rootKey, pqSecret ? LABEL_RATCHET_ROOT_PQ : LABEL_RATCHET_ROOT, 96)
  if (pqSecret) wipe(ikm)
  const step = { rootKey: out.slice(0, 32), chainKey: out.slice(32, 64), nextHeaderKey: out.slice(64, 96) }
  wipe(out)
  return step
}

const CHAIN_KDF_INPUTS = [CHAIN_KDF_CHAIN_KEY_INPUT, CHAIN_KDF_MESSAGE_KEY_INPUT] as const

let chainSteps = 0

/**
 * How many KDF_CK steps this process ran. Diagnostics only: tests use it to
 * prove that an over-long jump is refused before any chain derivation.
 */
export function chainStepCount(): number {
  return chainSteps
}

/** KDF_CK (spec section 5.2, as libsignal): mk = HMAC(ck, 0x01), ck' = HMAC(ck, 0x02). */
export function kdfChain(chainKey: Uint8Array): { chainKey: Uint8Array; messageKey: Uint8Array } {
  chainSteps++
  const [next, messageKey] = hmacSha256Many(chainKey, CHAIN_KDF_INPUTS) as [Uint8Array, Uint8Array]
  return { chainKey: next, messageKey }
}

/**
 * Message key + the message's random 24-byte nonce -> body AEAD key
 * (docs/protocol.md section 4.2, decision 0016):
 *   key = HKDF-Expand(mk, "Tessera v1 message body key" || nonce, 32)
 *       = HMAC(mk, "Tessera v1 message body key" || nonce || 0x01)
 * The body is then sealed under (key, nonce). Extract is skipped (RFC 5869
 * section 3.3): mk is an HMAC output, already a uniform 32-byte key. Because
 * the nonce is fresh per encryption, a message key that is ever used twice
 * (a session state restored from a backup, then a different message sent at
 * the same chain position) yields two unrelated keys, each with its own nonce.
 */
export function messageBodyKey(messageKey: Uint8Array, nonce: Uint8Array): Uint8Array {
  assertBytes(nonce, 24, 'nonce')
  const info = new Uint8Array(LABEL_MESSAGE_BODY_KEY.length + 25)
  info.set(LABEL_MESSAGE_BODY_KEY, 0)
  info.set(nonce, LABEL_MESSAGE_BODY_KEY.length)
  info[info.length - 1] = 1
  // HKDF-Expand with L = 32 is the single block T(1) = HMAC(PRK, info || 0x01).
  return hmacSha256(messageKey, info)
}
