import { randomBytes, type RandomSource } from '../primitives/bytes'
import { generateEd25519KeyPair, type Ed25519KeyPair } from '../primitives/ed25519'
import { generateX25519KeyPair, type X25519KeyPair } from '../primitives/x25519'

/**
 * The account identity (docs/protocol.md section 1.1): one Ed25519 key per
 * account. It signs device certificates and device lists and is what safety
 * numbers are computed over; it never takes part in a key agreement.
 */
export type AccountIdentity = Ed25519KeyPair

export function generateAccountIdentity(random: RandomSource = randomBytes): AccountIdentity {
  return generateEd25519KeyPair(random)
}

/** Device ids are u32; 0 is reserved as "no device". */
export const MAX_DEVICE_ID = 0xffff_ffff

/**
 * A device's own keys (section 1.1): an X25519 identity key for PQXDH and an
 * Ed25519 signing key for prekey signatures and sender-key messages. Both
 * are certified by the account identity (section 1.2).
 */
export interface DeviceKeys {
  readonly deviceId: number
  readonly identity: X25519KeyPair
  readonly signing: Ed25519KeyPair
}

export function generateDeviceKeys(deviceId: number, random: RandomSource = randomBytes): DeviceKeys {
  assertDeviceId(deviceId)
  return { deviceId, identity: generateX25519KeyPair(random), signing: generateEd25519KeyPair(random) }
}

export function assertDeviceId(deviceId: number): void {
  if (!Number.isInteger(deviceId) || deviceId < 1 || deviceId > MAX_DEVICE_ID) {
    throw new RangeError('deviceId must be an integer in 1..2^32-1')
  }
}
