import { assertBytes, equalBytes, randomBytes, type RandomSource } from '../primitives/bytes'
import { hkdfSha256 } from '../primitives/hkdf'
import { LABEL_DELIVERY_TOKEN } from '../primitives/labels'
import { sodium } from '../primitives/sodium-sync'

/**
 * Delivery tokens (docs/protocol.md section 7.2), the role of Signal's
 * unidentified-access key: a sealed envelope hides its sender, so the relay
 * needs another reason to accept a write to a mailbox. Each account has a
 * 32-byte profile secret that it shares with its contacts only (inside the
 * end-to-end encrypted profile). From it, anyone holding it derives the token
 * for one of the account's mailboxes:
 *
 *   token    = HKDF(ikm = profileSecret, salt = mailboxId, info = "Tessera v1 delivery token", 32)
 *   verifier = SHA-256(token)
 *
 * The owner registers the verifier with the relay as the mailbox's
 * `deliveryTokenHash` (docs/relay-protocol.md section 3.1); the relay
 * compares SHA-256 of a presented token with it, so it never stores a usable
 * token. No label is needed: the token is a uniformly random HKDF output
 * used for nothing else, and the relay must compute exactly this hash.
 * Blocking a contact = rotating the profile secret, sharing the new one with
 * every other contact and registering the new verifier: the blocked contact's
 * token stops working (it can still reach the rate-limited first-contact
 * mailbox, whose messages land in "message requests").
 */

export const PROFILE_SECRET_BYTES = 32
export const DELIVERY_TOKEN_BYTES = 32

export function generateProfileSecret(random: RandomSource = randomBytes): Uint8Array {
  const secret = random(PROFILE_SECRET_BYTES)
  assertBytes(secret, PROFILE_SECRET_BYTES, 'random output')
  return secret
}

/** The token a contact presents to write to `mailboxId` of the account owning `profileSecret`. */
export function deriveDeliveryToken(profileSecret: Uint8Array, mailboxId: Uint8Array): Uint8Array {
  assertBytes(profileSecret, PROFILE_SECRET_BYTES, 'profileSecret')
  assertBytes(mailboxId, undefined, 'mailboxId')
  if (mailboxId.length < 16 || mailboxId.length > 64) throw new RangeError('mailboxId must be 16..64 bytes')
  return hkdfSha256(profileSecret, mailboxId, LABEL_DELIVERY_TOKEN, DELIVERY_TOKEN_BYTES)
}

/** What the mailbox owner registers with the relay: the `deliveryTokenHash` of create-mailbox / set-delivery-token. */
export function deliveryTokenVerifier(token: Uint8Array): Uint8Array {
  assertBytes(token, DELIVERY_TOKEN_BYTES, 'token')
  return sodium().crypto_hash_sha256(token)
}

/** The relay-side check (constant time). Any malformed token is simply "not accepted". */
export function acceptsDeliveryToken(verifier: Uint8Array, presented: Uint8Array): boolean {
  assertBytes(verifier, 32, 'verifier')
  if (!(presented instanceof Uint8Array) || presented.length !== DELIVERY_TOKEN_BYTES) return false
  return equalBytes(deliveryTokenVerifier(presented), verifier)
}
