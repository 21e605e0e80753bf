import { beforeAll, describe, expect, it } from 'vitest'
import { loadSodium } from '../../../../src/main/core/crypto/sodium'
import { SessionRecord } from '../../../../src/main/core/crypto/session/session-record'
import { acceptSession } from '../../../../src/main/core/crypto/session/accept-session'
import { aeadDecrypt, aeadEncrypt } from '../../../../src/main/core/crypto/primitives/aead'
import { hkdfSha256 } from '../../../../src/main/core/crypto/primitives/hkdf'
import { x25519 } from '../../../../src/main/core/crypto/primitives/x25519'
import { ed25519Sign } from '../../../../src/main/core/crypto/primitives/ed25519'
import { xwingDecapsulate } from '../../../../src/main/core/crypto/primitives/xwing'
import { fromHex } from '../../../../src/main/core/crypto/primitives/bytes'
import { establish, text } from './establish'

beforeAll(async () => {
  await loadSodium()
})

/** Every 12-byte window of each secret, as hex and base64 (a partial leak counts too). */
function leakPatterns(secrets: Uint8Array[]): string[] {
  const patterns: string[] = []
  for (const secret of secrets) {
    for (let offset = 0; offset + 12 <= secret.length; offset++) {
      const window = Buffer.from(secret.subarray(offset, offset + 12))
      patterns.push(window.toString('hex'), window.toString('base64'), window.toString('base64url'))
    }
  }
  return patterns
}

function captured(action: () => unknown): string {
  try {
    const result = action()
    return JSON.stringify(result, (_key, value: unknown) => (value instanceof Uint8Array ? '<bytes>' : value))
  } catch (error) {
    const err = error as Error
    return `${err.name}: ${err.message}\n${err.stack ?? ''}`
  }
}

describe('no secret appears in thrown errors or failure results', () => {
  it('covers misuse errors, corrupted state, and failed decrypts', async () => {
    const { alice, bob, aliceParty, bobParty } = await establish()
    const state = bob.serialize()
    const secrets = [
      state,
      alice.serialize(),
      aliceParty.device.keys.identity.secretKey,
      aliceParty.device.keys.signing.secretKey,
      bobParty.device.keys.identity.secretKey,
      bobParty.device.keys.signing.secretKey,
      bobParty.preKeys.signedPreKeySecret(1) as Uint8Array
    ]
    const secretKey = bobParty.device.keys.identity.secretKey
    const outputs = [
      captured(() => SessionRecord.deserialize(state.subarray(0, state.length - 7))),
      captured(() => SessionRecord.deserialize(Uint8Array.from([2, ...state.subarray(1)]))),
      captured(() => aeadEncrypt(secretKey.subarray(0, 31), new Uint8Array(24), text('x'), new Uint8Array(0))),
      captured(() => aeadDecrypt(secretKey, new Uint8Array(24), new Uint8Array(40), new Uint8Array(0))),
      captured(() => hkdfSha256(secretKey, secretKey, new Uint8Array(0), 10_000)),
      captured(() => x25519(secretKey.subarray(1), secretKey)),
      captured(() => ed25519Sign(secretKey, text('m'))),
      captured(() => xwingDecapsulate(secretKey, secretKey)),
      captured(() => fromHex(Buffer.from(secretKey).toString('hex') + 'z')),
      captured(() => new SessionRecord().encrypt(text('x'))),
      captured(() => bob.decrypt(alice.encrypt(text('m')).map((byte, i) => (i === 40 ? byte ^ 1 : byte)))),
      captured(() => acceptSession({ local: bobParty.device, preKeys: bobParty.preKeys, message: state }))
    ]
    const joined = outputs.join('\n')
    for (const pattern of leakPatterns(secrets)) {
      expect(joined.includes(pattern), `leaked ${pattern}`).toBe(false)
    }
    // The errors still say what went wrong.
    expect(joined).toContain('InvalidSessionStateError')
    expect(joined).toContain('key must be 32 bytes, got 31')
    expect(joined).toContain('"ok":false')
  })
})
