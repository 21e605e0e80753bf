import { assertBytes, equalBytes } from '../primitives/bytes'
import { ED25519_PUBLIC_KEY_BYTES } from '../primitives/ed25519'
import { KeyType, PROTOCOL_VERSION, encodePublicKey } from '../primitives/encoding'
import { LABEL_SAFETY_NUMBER } from '../primitives/labels'
import {
  SIGNAL_FINGERPRINT_ITERATIONS,
  combineDisplay,
  iteratedFingerprintHash,
  thirtyDigits
} from './numeric-fingerprint'

/**
 * Tessera safety numbers (docs/protocol.md section 9): Signal's
 * NumericFingerprint over the two ACCOUNT identity keys (Ed25519), so adding
 * or removing a device never changes the number, but a substituted account
 * key always does.
 *
 * Per party: key = 0x06 || Ed25519 account key (the typed encoding of section
 * 1.1), stableId = the caller's stable account identifier (the label
 * "Tessera v1 safety number" when the account has none), hash version 0x0001,
 * 5200 iterations of SHA-512, as Signal.
 *
 * QR payload (68 bytes): 0x01 || 0x58 || u16be(version) || localContent (32) || remoteContent (32),
 * content = the first 32 bytes of each party's iterated hash, as in Signal's
 * ScannableFingerprint. The scanner expects the halves swapped.
 */

export const SAFETY_NUMBER_VERSION = 1
export const SAFETY_NUMBER_QR_TYPE = 0x58
export const SAFETY_NUMBER_QR_BYTES = 2 + 2 + 32 + 32
const CONTENT_BYTES = 32

export interface SafetyNumberParty {
  readonly accountKey: Uint8Array
  /** Stable account identifier; defaults to LABEL_SAFETY_NUMBER. */
  readonly stableId?: Uint8Array
}

export interface SafetyNumber {
  /** 60 digits, identical on both sides. */
  readonly digits: string
  /** The same 60 digits in twelve groups of five, for display. */
  readonly groups: readonly string[]
  /** Bytes to put in the QR code shown to the other party. */
  readonly qrPayload: Uint8Array
}

export type QrComparison =
  | { readonly kind: 'match' }
  | { readonly kind: 'mismatch' }
  | { readonly kind: 'version-mismatch'; readonly theirVersion: number }
  | { readonly kind: 'malformed' }

function partyHash(party: SafetyNumberParty): Uint8Array {
  assertBytes(party.accountKey, ED25519_PUBLIC_KEY_BYTES, 'accountKey')
  const stableId = party.stableId ?? LABEL_SAFETY_NUMBER
  return iteratedFingerprintHash(
    SAFETY_NUMBER_VERSION,
    encodePublicKey(KeyType.Ed25519, party.accountKey),
    stableId,
    SIGNAL_FINGERPRINT_ITERATIONS
  )
}

/** Computes the safety number as `local` sees it (~10 ms: 10,400 SHA-512 calls). */
export function computeSafetyNumber(local: SafetyNumberParty, remote: SafetyNumberParty): SafetyNumber {
  const localHash = partyHash(local)
  const remoteHash = partyHash(remote)
  const digits = combineDisplay(thirtyDigits(localHash), thirtyDigits(remoteHash))
  const qrPayload = new Uint8Array(SAFETY_NUMBER_QR_BYTES)
  qrPayload[0] = PROTOCOL_VERSION
  qrPayload[1] = SAFETY_NUMBER_QR_TYPE
  qrPayload[2] = SAFETY_NUMBER_VERSION >> 8
  qrPayload[3] = SAFETY_NUMBER_VERSION & 0xff
  qrPayload.set(localHash.subarray(0, CONTENT_BYTES), 4)
  qrPayload.set(remoteHash.subarray(0, CONTENT_BYTES), 4 + CONTENT_BYTES)
  const groups = digits.match(/\d{5}/g) ?? []
  return { digits, groups, qrPayload }
}

/**
 * Compares a scanned QR payload with our own: theirs must carry our content
 * as its remote half and theirs as its local half. Both halves are compared
 * in constant time and both are always compared.
 */
export function compareSafetyNumberQr(ours: Uint8Array, scanned: Uint8Array): QrComparison {
  assertBytes(ours, SAFETY_NUMBER_QR_BYTES, 'ours')
  if (!(scanned instanceof Uint8Array) || scanned.length < 4) return { kind: 'malformed' }
  if (scanned[0] !== PROTOCOL_VERSION || scanned[1] !== SAFETY_NUMBER_QR_TYPE) return { kind: 'malformed' }
  const theirVersion = ((scanned[2] as number) << 8) | (scanned[3] as number)
  if (theirVersion !== SAFETY_NUMBER_VERSION) return { kind: 'version-mismatch', theirVersion }
  if (scanned.length !== SAFETY_NUMBER_QR_BYTES) return { kind: 'malformed' }
  const ourLocal = ours.subarray(4, 4 + CONTENT_BYTES)
  const ourRemote = ours.subarray(4 + CONTENT_BYTES)
  const theirLocal = scanned.subarray(4, 4 + CONTENT_BYTES)
  const theirRemote = scanned.subarray(4 + CONTENT_BYTES)
  const localMatches = equalBytes(ourLocal, theirRemote)
  const remoteMatches = equalBytes(ourRemote, theirLocal)
  return localMatches && remoteMatches ? { kind: 'match' } : { kind: 'mismatch' }
}
