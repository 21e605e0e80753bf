import type { AttachmentReference, FrankingContext } from './commitment'
import { FRANKING_COMMITMENT_BYTES, FRANKING_KEY_BYTES, computeFrankingCommitment } from './commitment'
import { assertBytes, equalBytes, wipe, type RandomSource } from '../primitives/bytes'
import { ed25519Sign, ed25519Verify } from '../primitives/ed25519'
import { sodium } from '../primitives/sodium-sync'

/**
 * Sender and recipient sides of franking (docs/protocol.md section 10.2).
 *
 * The sender draws a fresh fk, computes C, and signs C with its device
 * signing key. fk and the signature travel INSIDE the end-to-end payload (the
 * "opening", 98 bytes); C travels outside, where the relay can stamp it, and
 * is also bound into the AEAD associated data (frankingAssociatedData).
 *
 *   opening   = 0x01 || 0x5B || fk (32) || senderSig (64)
 *   senderSig = Ed25519(device signing key, "tessera-frank-sender-v1" || C)
 *
 * The recipient recomputes C before accepting the message: a message whose
 * commitment does not open could not be reported, so it is rejected outright.
 */

export const OPENING_VERSION = 0x01
export const OPENING_TYPE = 0x5b
export const FRANKING_OPENING_BYTES = 2 + FRANKING_KEY_BYTES + 64
const SENDER_SIG_LABEL = new TextEncoder().encode('tessera-frank-sender-v1')

export interface FrankedMessage {
  readonly commitment: Uint8Array
  readonly opening: Uint8Array
}

export interface FrankingOpening {
  readonly frankingKey: Uint8Array
  readonly senderSignature: Uint8Array
}

export type OpeningCheck =
  | { readonly ok: true; readonly opening: FrankingOpening }
  | { readonly ok: false; readonly reason: 'malformed-opening' | 'commitment-mismatch' | 'bad-sender-signature' }

export function senderSignatureInput(commitment: Uint8Array): Uint8Array {
  assertBytes(commitment, FRANKING_COMMITMENT_BYTES, 'commitment')
  const out = new Uint8Array(SENDER_SIG_LABEL.length + FRANKING_COMMITMENT_BYTES)
  out.set(SENDER_SIG_LABEL, 0)
  out.set(commitment, SENDER_SIG_LABEL.length)
  return out
}

export function encodeOpening(opening: FrankingOpening): Uint8Array {
  assertBytes(opening.frankingKey, FRANKING_KEY_BYTES, 'frankingKey')
  assertBytes(opening.senderSignature, 64, 'senderSignature')
  const out = new Uint8Array(FRANKING_OPENING_BYTES)
  out[0] = OPENING_VERSION
  out[1] = OPENING_TYPE
  out.set(opening.frankingKey, 2)
  out.set(opening.senderSignature, 2 + FRANKING_KEY_BYTES)
  return out
}

export function decodeOpening(bytes: Uint8Array): FrankingOpening | undefined {
  if (!(bytes instanceof Uint8Array) || bytes.length !== FRANKING_OPENING_BYTES || bytes[0] !== OPENING_VERSION || bytes[1] !== OPENING_TYPE) {
    return undefined
  }
  return { frankingKey: bytes.slice(2, 2 + FRANKING_KEY_BYTES), senderSignature: bytes.slice(2 + FRANKING_KEY_BYTES) }
}

/**
 * Franks one message. `deviceSigningSecretKey` is the sender device's Ed25519
 * secret key (64 bytes, libsodium layout); the context's senderDeviceKey must
 * be its public half, which is checked so a misconfigured caller cannot
 * produce an unreportable message.
 */
export function frankMessage(
  input: {
    readonly context: FrankingContext
    readonly plaintext: Uint8Array
    readonly attachments: readonly AttachmentReference[]
    readonly deviceSigningSecretKey: Uint8Array
  },
  random: RandomSource
): FrankedMessage {
  assertBytes(input.deviceSigningSecretKey, 64, 'deviceSigningSecretKey')
  if (!equalBytes(sodium().crypto_sign_ed25519_sk_to_pk(input.deviceSigningSecretKey), input.context.senderDeviceKey)) {
    throw new RangeError('context.senderDeviceKey does not belong to deviceSigningSecretKey')
  }
  const frankingKey = random(FRANKING_KEY_BYTES)
  assertBytes(frankingKey, FRANKING_KEY_BYTES, 'random franking key')
  const commitment = computeFrankingCommitment(frankingKey, input.context, input.plaintext, input.attachments)
  const senderSignature = ed25519Sign(input.deviceSigningSecretKey, senderSignatureInput(commitment))
  const opening = encodeOpening({ frankingKey, senderSignature })
  wipe(frankingKey)
  return { commitment, opening }
}

/**
 * Recipient check, run after the E2E decryption produced the opening: the
 * commitment that came outside the payload must open to this exact message.
 */
export function checkOpening(
  input: {
    readonly commitment: Uint8Array
    readonly opening: Uint8Array
    readonly context: FrankingContext
    readonly plaintext: Uint8Array
    readonly attachments: readonly AttachmentReference[]
  }
): OpeningCheck {
  assertBytes(input.commitment, FRANKING_COMMITMENT_BYTES, 'commitment')
  const opening = decodeOpening(input.opening)
  if (opening === undefined) return { ok: false, reason: 'malformed-opening' }
  const recomputed = computeFrankingCommitment(
    opening.frankingKey,
    input.context,
    input.plaintext,
    input.attachments
  )
  if (!equalBytes(recomputed, input.commitment)) return { ok: false, reason: 'commitment-mismatch' }
  const signed = ed25519Verify(
    input.context.senderDeviceKey,
    senderSignatureInput(input.commitment),
    opening.senderSignature
  )
  if (!signed) return { ok: false, reason: 'bad-sender-signature' }
  return { ok: true, opening }
}
