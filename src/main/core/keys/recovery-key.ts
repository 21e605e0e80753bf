import { createHash, randomBytes } from 'node:crypto'

/**
 * The recovery key: 128 random bits + a 32-bit checksum = 160 bits, written
 * as 32 Crockford base32 characters in 8 groups of 4
 * ("7K3M-Q9XA-..."; crockford.com/base32.html). Crockford's alphabet has no
 * I, L, O or U; when parsing, I and L read as 1 and O as 0, case and
 * separators are ignored, so a hand-copied key still parses. The checksum
 * catches typos before any Argon2id work or file access.
 */
export const RECOVERY_ENTROPY_BYTES = 16
const CHECKSUM_BYTES = 4
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const KEY_CHARS = 32
const GROUP = 4
const CHECKSUM_LABEL = 'tessera-recovery-key-v1'

export type RecoveryKeyErrorCode = 'wrong-length' | 'bad-character' | 'bad-checksum'

export class RecoveryKeyError extends Error {
  constructor(readonly code: RecoveryKeyErrorCode) {
    super(
      code === 'wrong-length'
        ? `A recovery key has ${KEY_CHARS} characters.`
        : code === 'bad-character'
          ? 'A recovery key uses only the letters and digits shown when it was created.'
          : 'This recovery key has a typo: check it character by character.'
    )
    this.name = 'RecoveryKeyError'
  }
}

export interface RecoveryKey {
  /** What the user writes down, e.g. "7K3M-Q9XA-...". Shown once. */
  readonly text: string
  /** The 16 secret bytes fed to Argon2id. The caller wipes them. */
  readonly entropy: Uint8Array
}

export function generateRecoveryKey(entropy: Uint8Array = new Uint8Array(randomBytes(RECOVERY_ENTROPY_BYTES))): RecoveryKey {
  if (entropy.length !== RECOVERY_ENTROPY_BYTES) throw new RangeError(`Recovery key entropy is ${RECOVERY_ENTROPY_BYTES} bytes.`)
  const payload = new Uint8Array(RECOVERY_ENTROPY_BYTES + CHECKSUM_BYTES)
  payload.set(entropy)
  payload.set(checksum(entropy), RECOVERY_ENTROPY_BYTES)
  const chars = encodeBase32(payload)
  payload.fill(0)
  const groups = chars.match(new RegExp(`.{${GROUP}}`, 'g')) ?? []
  return { text: groups.join('-'), entropy: new Uint8Array(entropy) }
}

/** Parses what the user typed; throws RecoveryKeyError, never touching any file. */
export function parseRecoveryKey(input: string): Uint8Array {
  if (typeof input !== 'string') throw new RecoveryKeyError('bad-character')
  const normalised = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1')
  if (normalised.length !== KEY_CHARS) throw new RecoveryKeyError('wrong-length')
  const payload = decodeBase32(normalised)
  const entropy = payload.slice(0, RECOVERY_ENTROPY_BYTES)
  const ok = Buffer.from(checksum(entropy)).equals(payload.subarray(RECOVERY_ENTROPY_BYTES))
  payload.fill(0)
  if (!ok) {
    entropy.fill(0)
    throw new RecoveryKeyError('bad-checksum')
  }
  return entropy
}

function checksum(entropy: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(CHECKSUM_LABEL).update(entropy).digest().subarray(0, CHECKSUM_BYTES))
}

/** 20 bytes -> 32 characters, 5 bits each, most significant first. */
function encodeBase32(bytes: Uint8Array): string {
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
    value &= (1 << bits) - 1
  }
  return out
}

function decodeBase32(chars: string): Uint8Array {
  const out = new Uint8Array((chars.length * 5) / 8)
  let bits = 0
  let value = 0
  let index = 0
  for (const char of chars) {
    const digit = ALPHABET.indexOf(char)
    if (digit < 0) throw new RecoveryKeyError('bad-character')
    value = (value << 5) | digit
    bits += 5
    if (bits >= 8) {
      out[index++] = (value >>> (bits - 8)) & 0xff
      bits -= 8
    }
    value &= (1 << bits) - 1
  }
  return out
}
