
/**
 * Message franking commitments (docs/protocol.md section 10; Grubbs, Lu,
 * Ristenpart, "Message Franking via Committing Authenticated Encryption",
 * CRYPTO 2017; Facebook Messenger's "Message Franking" whitepaper, 2016).
 *
 *   C = BLAKE2b-256(key = fk, "frank-v1" || context || u32(n) || n x attachment
 *                   || u32(len(plaintext)) || plaintext)
 *
 * The franking key fk is always exactly 32 bytes: a keyed hash whose key may
 * vary in length can collide on k and k || 0x00 (HMAC pads short keys), which
 * would let a sender open one commitment to two keys.
 */

export const FRANKING_KEY_BYTES = 32
export const FRANKING_COMMITMENT_BYTES = 32
export const CONVERSATION_ID_BYTES = 32
export const MESSAGE_ID_BYTES = 16
export const PUBLIC_KEY_BYTES = 32
export const MAILBOX_ID_BYTES = 32
export const ATTACHMENT_DIGEST_BYTES = 32
/** Upper bounds keep a hostile report from making a verifier hash gigabytes. */
export const MAX_FRANKED_PLAINTEXT_BYTES = 256 * 1024
export const MAX_FRANKED_ATTACHMENTS = 32

import { ByteReader, ByteWriter } from '../primitives/byte-io'
import { assertBytes, u32be } from '../primitives/bytes'
import { sodium } from '../primitives/sodium-sync'

const COMMITMENT_LABEL = new TextEncoder().encode('frank-v1')
const AD_LABEL = new TextEncoder().encode('tessera-frank-ad-v1')

/**
 * Where and by whom a message was sent. Every field has a fixed length, so the
 * encoding is injective without separators; a report replayed with any other
 * context recomputes to a different commitment.
 */
export interface FrankingContext {
  readonly conversationId: Uint8Array // 32 bytes
  readonly messageId: Uint8Array // 16 bytes, random per message
  readonly senderAccountKey: Uint8Array // Ed25519 account identity public key
  readonly senderDeviceKey: Uint8Array // Ed25519 device signing public key
  readonly recipientMailbox: Uint8Array // the relay mailbox the envelope is written to
  readonly sentAtMs: number // sender's clock, milliseconds since the Unix epoch
}

/** An attachment as the commitment sees it: both hashes are SHA-256, 32 bytes. */
export interface AttachmentReference {
  readonly plaintextSha256: Uint8Array
  readonly ciphertextSha256: Uint8Array
}

export const FRANKING_CONTEXT_BYTES =
  CONVERSATION_ID_BYTES + MESSAGE_ID_BYTES + 2 * PUBLIC_KEY_BYTES + MAILBOX_ID_BYTES + 8

/** Fixed-length, big-endian encoding of the context (152 bytes). */
export function encodeFrankingContext(context: FrankingContext): Uint8Array {
  assertBytes(context.conversationId, CONVERSATION_ID_BYTES, 'conversationId')
  assertBytes(context.messageId, MESSAGE_ID_BYTES, 'messageId')
  assertBytes(context.senderAccountKey, PUBLIC_KEY_BYTES, 'senderAccountKey')
  assertBytes(context.senderDeviceKey, PUBLIC_KEY_BYTES, 'senderDeviceKey')
  assertBytes(context.recipientMailbox, MAILBOX_ID_BYTES, 'recipientMailbox')
  return new ByteWriter(FRANKING_CONTEXT_BYTES)
    .bytes(context.conversationId)
    .bytes(context.messageId)
    .bytes(context.senderAccountKey)
    .bytes(context.senderDeviceKey)
    .bytes(context.recipientMailbox)
    .u64(context.sentAtMs) // RangeError unless a non-negative safe integer
    .finish()
}

/** Inverse of encodeFrankingContext; throws RangeError on a wrong length or time. */
export function decodeFrankingContext(bytes: Uint8Array): FrankingContext {
  assertBytes(bytes, FRANKING_CONTEXT_BYTES, 'franking context')
  const reader = new ByteReader(bytes)
  const context = {
    conversationId: reader.bytes(CONVERSATION_ID_BYTES),
    messageId: reader.bytes(MESSAGE_ID_BYTES),
    senderAccountKey: reader.bytes(PUBLIC_KEY_BYTES),
    senderDeviceKey: reader.bytes(PUBLIC_KEY_BYTES),
    recipientMailbox: reader.bytes(MAILBOX_ID_BYTES),
    sentAtMs: 0
  }
  try {
    context.sentAtMs = reader.u64()
  } catch {
    throw new RangeError('sentAtMs out of range')
  }
  return context
}

function checkAttachments(attachments: readonly AttachmentReference[]): void {
  if (attachments.length > MAX_FRANKED_ATTACHMENTS) throw new RangeError('too many attachments')
  for (const a of attachments) {
    assertBytes(a.plaintextSha256, ATTACHMENT_DIGEST_BYTES, 'attachment plaintextSha256')
    assertBytes(a.ciphertextSha256, ATTACHMENT_DIGEST_BYTES, 'attachment ciphertextSha256')
  }
}

/** Computes C. Throws TypeError/RangeError on malformed input (caller misuse). */
export function computeFrankingCommitment(
  frankingKey: Uint8Array,
  context: FrankingContext,
  plaintext: Uint8Array,
  attachments: readonly AttachmentReference[]
): Uint8Array {
  assertBytes(frankingKey, FRANKING_KEY_BYTES, 'frankingKey')
  if (!(plaintext instanceof Uint8Array)) throw new TypeError('plaintext must be a Uint8Array')
  if (plaintext.length > MAX_FRANKED_PLAINTEXT_BYTES) throw new RangeError('plaintext too long to frank')
  checkAttachments(attachments)
  const lib = sodium()
  const state = lib.crypto_generichash_init(frankingKey, FRANKING_COMMITMENT_BYTES)
  lib.crypto_generichash_update(state, COMMITMENT_LABEL)
  lib.crypto_generichash_update(state, encodeFrankingContext(context))
  lib.crypto_generichash_update(state, u32be(attachments.length))
  for (const a of attachments) {
    lib.crypto_generichash_update(state, a.plaintextSha256)
    lib.crypto_generichash_update(state, a.ciphertextSha256)
  }
  lib.crypto_generichash_update(state, u32be(plaintext.length))
  lib.crypto_generichash_update(state, plaintext)
  return lib.crypto_generichash_final(state, FRANKING_COMMITMENT_BYTES)
}

/**
 * The bytes a sender appends to the AEAD associated data of the message that
 * carries fk, so that the ciphertext cannot be detached from its commitment:
 * the relay stamps C, and C authenticates as part of the E2E ciphertext.
 */
export function frankingAssociatedData(commitment: Uint8Array): Uint8Array {
  assertBytes(commitment, FRANKING_COMMITMENT_BYTES, 'commitment')
  const out = new Uint8Array(AD_LABEL.length + FRANKING_COMMITMENT_BYTES)
  out.set(AD_LABEL, 0)
  out.set(commitment, AD_LABEL.length)
  return out
}
