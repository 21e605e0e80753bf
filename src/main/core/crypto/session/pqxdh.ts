import { concatBytes, u32be, wipe } from '../primitives/bytes'
import { KeyType, encodePublicKey } from '../primitives/encoding'
import { hkdfSha256 } from '../primitives/hkdf'
import { LABEL_PQXDH } from '../primitives/labels'
import type { DeviceCertificate } from '../identity/device-certificate'

/**
 * PQXDH key derivation (signal.org/docs/specifications/pqxdh section 3.3,
 * with X-Wing in place of Kyber-1024), docs/protocol.md section 3.2:
 *   IKM = 0xFF x 32 || DH1 || DH2 || DH3 [|| DH4] || SS
 *   HKDF(IKM, salt = 0x00 x 32, info = "Tessera v1 PQXDH X25519 SHA-256 X-Wing", 96)
 *     = SK || HK_a (shared_hka) || NHK_b (shared_nhkb)
 * SK is the first root key; the two header keys initialise header encryption
 * (Double Ratchet spec section 4, RatchetInitAliceHE/RatchetInitBobHE).
 */
export interface SharedSecrets {
  readonly rootKey: Uint8Array
  readonly initiatorHeaderKey: Uint8Array
  readonly responderNextHeaderKey: Uint8Array
}

const F = new Uint8Array(32).fill(0xff)
const ZERO_SALT = new Uint8Array(32)

export function derivePqxdhSecrets(dhOutputs: Uint8Array[], kemSecret: Uint8Array): SharedSecrets {
  const ikm = concatBytes(F, ...dhOutputs, kemSecret)
  const out = hkdfSha256(ikm, ZERO_SALT, LABEL_PQXDH, 96)
  const secrets = { rootKey: out.slice(0, 32), initiatorHeaderKey: out.slice(32, 64), responderNextHeaderKey: out.slice(64, 96) }
  wipe(ikm, out)
  return secrets
}

/**
 * Session associated data (PQXDH AD = Encode(IK_A) || Encode(IK_B), extended
 * with both accounts and device ids so a session is bound to exactly these
 * two certified devices):
 *   Enc(IK_A) || Enc(IK_B) || Enc(AK_A) || Enc(AK_B) || u32 device_A || u32 device_B
 * A is always the initiator.
 */
export function sessionAssociatedData(initiator: DeviceCertificate, responder: DeviceCertificate): Uint8Array {
  return concatBytes(
    encodePublicKey(KeyType.X25519, initiator.identityKey),
    encodePublicKey(KeyType.X25519, responder.identityKey),
    encodePublicKey(KeyType.Ed25519, initiator.accountKey),
    encodePublicKey(KeyType.Ed25519, responder.accountKey),
    u32be(initiator.deviceId),
    u32be(responder.deviceId)
  )
}
