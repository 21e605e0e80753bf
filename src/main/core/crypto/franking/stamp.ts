import { FRANKING_COMMITMENT_BYTES, MAILBOX_ID_BYTES } from './commitment'
import { assertBytes } from '../primitives/bytes'
import { ed25519Sign, ed25519Verify } from '../primitives/ed25519'

/**
 * The relay's stamp on a franking commitment (docs/protocol.md section 10.3).
 * The relay sees only C, the mailbox it delivers to and its own clock; it
 * signs those so that a later report proves "this commitment was delivered to
 * this mailbox at this time through this relay".
 *
 *   stamp = 0x01 || 0x5A || C (32) || mailbox (32) || u64be(receivedAtMs) || sig (64)
 *   sig   = Ed25519(relay key, "tessera-relay-stamp-v1" || C || mailbox || u64be(receivedAtMs))
 */

export const STAMP_VERSION = 0x01
export const STAMP_TYPE = 0x5a
export const STAMP_BYTES = 2 + FRANKING_COMMITMENT_BYTES + MAILBOX_ID_BYTES + 8 + 64
const STAMP_LABEL = new TextEncoder().encode('tessera-relay-stamp-v1')

export interface RelayStamp {
  readonly commitment: Uint8Array
  readonly mailbox: Uint8Array
  readonly receivedAtMs: number
  readonly signature: Uint8Array
}

export type StampVerification =
  | { readonly ok: true; readonly stamp: RelayStamp }
  | { readonly ok: false; readonly reason: 'malformed-stamp' | 'bad-relay-signature' }

function signedPart(commitment: Uint8Array, mailbox: Uint8Array, receivedAtMs: number): Uint8Array {
  const out = new Uint8Array(STAMP_LABEL.length + FRANKING_COMMITMENT_BYTES + MAILBOX_ID_BYTES + 8)
  out.set(STAMP_LABEL, 0)
  out.set(commitment, STAMP_LABEL.length)
  out.set(mailbox, STAMP_LABEL.length + FRANKING_COMMITMENT_BYTES)
  new DataView(out.buffer).setBigUint64(out.length - 8, BigInt(receivedAtMs), false)
  return out
}

/** Run by the relay when it accepts an envelope carrying a commitment. */
export function stampCommitment(
  relaySigningSecretKey: Uint8Array,
  commitment: Uint8Array,
  mailbox: Uint8Array,
  receivedAtMs: number
): Uint8Array {
  assertBytes(relaySigningSecretKey, 64, 'relaySigningSecretKey')
  assertBytes(commitment, FRANKING_COMMITMENT_BYTES, 'commitment')
  assertBytes(mailbox, MAILBOX_ID_BYTES, 'mailbox')
  if (!Number.isSafeInteger(receivedAtMs) || receivedAtMs < 0) throw new RangeError('receivedAtMs out of range')
  const signature = ed25519Sign(relaySigningSecretKey, signedPart(commitment, mailbox, receivedAtMs))
  const out = new Uint8Array(STAMP_BYTES)
  out[0] = STAMP_VERSION
  out[1] = STAMP_TYPE
  out.set(signedPart(commitment, mailbox, receivedAtMs).subarray(STAMP_LABEL.length), 2)
  out.set(signature, STAMP_BYTES - 64)
  return out
}

/** Parses and checks a stamp against the relay's Ed25519 public key. */
export function verifyStamp(stampBytes: Uint8Array, relayPublicKey: Uint8Array): StampVerification {
  assertBytes(relayPublicKey, 32, 'relayPublicKey')
  if (!(stampBytes instanceof Uint8Array) || stampBytes.length !== STAMP_BYTES || stampBytes[0] !== STAMP_VERSION || stampBytes[1] !== STAMP_TYPE) {
    return { ok: false, reason: 'malformed-stamp' }
  }
  const commitment = stampBytes.slice(2, 2 + FRANKING_COMMITMENT_BYTES)
  const mailbox = stampBytes.slice(2 + FRANKING_COMMITMENT_BYTES, 2 + FRANKING_COMMITMENT_BYTES + MAILBOX_ID_BYTES)
  const time = new DataView(stampBytes.buffer, stampBytes.byteOffset, stampBytes.byteLength).getBigUint64(
    2 + FRANKING_COMMITMENT_BYTES + MAILBOX_ID_BYTES,
    false
  )
  if (time > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, reason: 'malformed-stamp' }
  const receivedAtMs = Number(time)
  const signature = stampBytes.slice(STAMP_BYTES - 64)
  const valid = ed25519Verify(relayPublicKey, signedPart(commitment, mailbox, receivedAtMs), signature)
  if (!valid) return { ok: false, reason: 'bad-relay-signature' }
  return { ok: true, stamp: { commitment, mailbox, receivedAtMs, signature } }
}
