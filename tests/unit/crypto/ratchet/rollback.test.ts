import { beforeAll, describe, expect, it } from 'vitest'
import { loadSodium } from '../../../../src/main/core/crypto/sodium'
import { SessionRecord } from '../../../../src/main/core/crypto/session/session-record'
import { decodeInitialMessage, isInitialMessage } from '../../../../src/main/core/crypto/session/initial-message'
import { decodeRatchetMessage, type RatchetMessageParts } from '../../../../src/main/core/crypto/ratchet/message'
import { kdfChain, messageBodyKey } from '../../../../src/main/core/crypto/ratchet/kdf'
import { readSessionState } from '../../../../src/main/core/crypto/ratchet/session-state-codec'
import type { SessionState } from '../../../../src/main/core/crypto/ratchet/session-state'
import { ByteReader } from '../../../../src/main/core/crypto/primitives/byte-io'
import { aeadDecrypt } from '../../../../src/main/core/crypto/primitives/aead'
import { concatBytes, equalBytes, lengthPrefixed } from '../../../../src/main/core/crypto/primitives/bytes'
import { hkdfExpandSha256 } from '../../../../src/main/core/crypto/primitives/hkdf'
import { LABEL_MESSAGE_BODY_KEY } from '../../../../src/main/core/crypto/primitives/labels'
import { establish, text } from '../session/establish'

/**
 * Decision 0016 / docs/protocol.md section 4.4: a session state restored from
 * a backup (rolled back) that then encrypts a different message at the same
 * chain position must not repeat a body (key, nonce) pair under
 * XChaCha20-Poly1305.
 */

beforeAll(async () => {
  await loadSodium()
})

function ratchetParts(message: Uint8Array): RatchetMessageParts {
  const inner = isInitialMessage(message) ? decodeInitialMessage(message)?.ratchetMessage : message
  const parts = inner ? decodeRatchetMessage(inner) : null
  if (!parts) throw new Error('not a ratchet message')
  return parts
}

/** The current session state inside serialized record bytes (test-only peek). */
function currentState(recordBytes: Uint8Array): SessionState {
  const reader = new ByteReader(recordBytes.slice())
  reader.u8()
  reader.u8()
  expect(reader.u8()).toBe(1)
  return readSessionState(reader)
}

describe('state rollback never repeats a body (key, nonce) pair (decision 0016)', () => {
  for (const phase of ['after the first reply', 'while still sending initial messages'] as const) {
    it(`two plaintexts encrypted from the same serialized state (${phase}) use different nonces and keys, and each decrypts`, async () => {
      const { alice, bob } = await establish({ reply: phase === 'after the first reply' })
      const aliceBackup = alice.serialize()
      const bobBackup = bob.serialize()

      const first = SessionRecord.deserialize(aliceBackup).encrypt(text('the message that was sent'))
      const second = SessionRecord.deserialize(aliceBackup).encrypt(text('a different message after restoring a backup'))
      const a = ratchetParts(first)
      const b = ratchetParts(second)
      // The body nonce is the message's random nonce: it differs between the two encryptions.
      expect(equalBytes(a.headerNonce, b.headerNonce)).toBe(false)

      // Same chain position, hence the same message key, yet different body keys.
      const state = currentState(aliceBackup)
      const messageKey = kdfChain(state.sendChainKey as Uint8Array).messageKey
      const keyA = messageBodyKey(messageKey, a.headerNonce)
      const keyB = messageBodyKey(messageKey, b.headerNonce)
      expect(equalBytes(keyA, keyB)).toBe(false)
      const ad = (parts: RatchetMessageParts) => lengthPrefixed(state.associatedData, new Uint8Array(0), parts.prefix)
      expect(aeadDecrypt(keyA, a.headerNonce, a.body, ad(a))).toEqual(text('the message that was sent'))
      expect(aeadDecrypt(keyB, b.headerNonce, b.body, ad(b))).toEqual(text('a different message after restoring a backup'))

      // A receiver that got only one of them decrypts it, whichever it was.
      expect(SessionRecord.deserialize(bobBackup).decrypt(first)).toEqual({ ok: true, plaintext: text('the message that was sent') })
      const receiver = SessionRecord.deserialize(bobBackup)
      expect(receiver.decrypt(second)).toEqual({ ok: true, plaintext: text('a different message after restoring a backup') })
      // Both sat at the same chain position: once that key is used, the other is a duplicate.
      expect(receiver.decrypt(first).ok).toBe(false)
    })
  }

  it('the body key is HKDF-Expand(mk, "Tessera v1 message body key" || nonce, 32) (section 4.2)', () => {
    const messageKey = Uint8Array.from({ length: 32 }, (_, i) => i)
    const nonce = Uint8Array.from({ length: 24 }, (_, i) => 0xa0 + i)
    expect(messageBodyKey(messageKey, nonce)).toEqual(hkdfExpandSha256(messageKey, concatBytes(LABEL_MESSAGE_BODY_KEY, nonce), 32))
  })
})
