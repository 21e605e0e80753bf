import { beforeAll, describe, expect, it } from 'vitest'
import { loadSodium } from '../../../../src/main/core/crypto/sodium'
import { SessionRecord, InvalidSessionStateError } from '../../../../src/main/core/crypto/session/session-record'
import { initiateSession } from '../../../../src/main/core/crypto/session/initiate-session'
import { acceptSession } from '../../../../src/main/core/crypto/session/accept-session'
import { encodePreKeyBundle } from '../../../../src/main/core/crypto/prekeys/prekey-bundle'
import { createKemPreKey, KemPreKeyKind } from '../../../../src/main/core/crypto/prekeys/prekeys'
import { ByteWriter } from '../../../../src/main/core/crypto/primitives/byte-io'
import { concatBytes } from '../../../../src/main/core/crypto/primitives/bytes'
import { ed25519Sign } from '../../../../src/main/core/crypto/primitives/ed25519'
import { LABEL_SIGNED_PREKEY } from '../../../../src/main/core/crypto/primitives/labels'
import { establish, str, text } from './establish'
import { makeParty } from './fixtures'

beforeAll(async () => {
  await loadSodium()
})

describe('session setup and first messages (docs/protocol.md section 3)', () => {
  it('the initiator repeats the initial-message material until the first reply, then sends plain ratchet messages', async () => {
    const { alice, bob } = await establish({ reply: false })
    expect(alice.awaitingReply).toBe(true)
    const second = alice.encrypt(text('second'))
    expect(second[1]).toBe(0x31)
    expect(bob.decrypt(second)).toEqual({ ok: true, plaintext: text('second') })
    const reply = bob.encrypt(text('reply'))
    expect(reply[1]).toBe(0x30)
    expect(alice.decrypt(reply)).toEqual({ ok: true, plaintext: text('reply') })
    expect(alice.awaitingReply).toBe(false)
    expect(alice.encrypt(text('third'))[1]).toBe(0x30)
  })

  it('works without a one-time prekey and with a one-time KEM prekey', async () => {
    const alice = await makeParty(1)
    const bob = await makeParty(2)
    for (const options of [{ withOneTime: false }, { kemKind: KemPreKeyKind.OneTime }]) {
      const init = initiateSession({ local: alice.device, bundle: bob.bundle(options), remoteAccountKey: bob.account.publicKey })
      if (!init.ok) throw new Error(init.reason)
      const accepted = acceptSession({ local: bob.device, preKeys: bob.preKeys, message: init.record.encrypt(text('x')) })
      expect(accepted.ok && str(accepted.plaintext)).toBe('x')
    }
  })

  it('a prekey store that keeps no signed prekey public key still accepts (the key is derived; same session)', async () => {
    const alice = await makeParty(1)
    const bob = await makeParty(2)
    const init = initiateSession({ local: alice.device, bundle: bob.bundle(), remoteAccountKey: bob.account.publicKey })
    if (!init.ok) throw new Error(init.reason)
    const secretsOnly = {
      signedPreKeySecret: (id: number) => bob.preKeys.signedPreKeySecret(id),
      oneTimePreKeySecret: (id: number) => bob.preKeys.oneTimePreKeySecret(id),
      kemPreKeySecret: (id: number) => bob.preKeys.kemPreKeySecret(id)
    }
    const accepted = acceptSession({ local: bob.device, preKeys: secretsOnly, message: init.record.encrypt(text('x')) })
    if (!accepted.ok) throw new Error(accepted.reason)
    expect(init.record.decrypt(accepted.record.encrypt(text('reply')))).toEqual({ ok: true, plaintext: text('reply') })
  })

  it('binds the caller associated data: a different AD fails and leaves the state unchanged', async () => {
    const { alice, bob } = await establish()
    const message = alice.encrypt(text('with ad'), text('franking commitment'))
    const before = bob.serialize()
    expect(bob.decrypt(message, text('other'))).toEqual({ ok: false, reason: 'auth-failed' })
    expect(bob.serialize()).toEqual(before)
    expect(bob.decrypt(message, text('franking commitment'))).toEqual({ ok: true, plaintext: text('with ad') })
  })

  it('a low-order base key or signed prekey is refused with invalid-key', async () => {
    const alice = await makeParty(1)
    const bob = await makeParty(2)
    // Base key: replace Alice's ephemeral key (after 0x05 type byte) with the all-zero point.
    const init = initiateSession({ local: alice.device, bundle: bob.bundle({ withOneTime: false }), remoteAccountKey: bob.account.publicKey })
    if (!init.ok) throw new Error(init.reason)
    const message = init.record.encrypt(text('x'))
    const baseKeyOffset = 2 + 177 + 4 + 1 + 4 + 1
    const lowOrder = message.slice()
    lowOrder.fill(0, baseKeyOffset, baseKeyOffset + 32)
    expect(acceptSession({ local: bob.device, preKeys: bob.preKeys, message: lowOrder })).toEqual({ ok: false, reason: 'invalid-key' })
    // Signed prekey: a correctly signed all-zero X25519 key.
    const body = new ByteWriter().u8(1).u8(0x22).u32(77).u8(0x05).bytes(new Uint8Array(32)).u64(1).finish()
    const signedPreKey = concatBytes(body, ed25519Sign(bob.device.keys.signing.secretKey, concatBytes(LABEL_SIGNED_PREKEY, body)))
    const bundle = encodePreKeyBundle({
      certificate: bob.device.certificate.bytes,
      signedPreKey,
      kemPreKey: createKemPreKey(bob.device.keys, 5, KemPreKeyKind.LastResort, 1).public.bytes
    })
    expect(initiateSession({ local: alice.device, bundle, remoteAccountKey: bob.account.publicKey })).toEqual({ ok: false, reason: 'invalid-key' })
  })
})

describe('malformed input leaves the state byte-identical (adversarial category 4)', () => {
  it('every single-bit flip in header nonce, header, body and tag fails; every truncation fails', async () => {
    const { alice, bob } = await establish()
    const message = alice.encrypt(text('a message of moderate length for flipping'))
    const before = bob.serialize()
    const reasons = new Set<string>()
    for (let i = 0; i < message.length; i++) {
      for (const bit of [0x01, 0x80]) {
        const tampered = message.slice()
        tampered[i] = (tampered[i] as number) ^ bit
        const result = bob.decrypt(tampered)
        expect(result.ok, `byte ${i} bit ${bit}`).toBe(false)
        if (!result.ok) reasons.add(result.reason)
      }
    }
    for (let length = 0; length < message.length; length++) {
      expect(bob.decrypt(message.subarray(0, length)).ok, `truncated to ${length}`).toBe(false)
    }
    expect(bob.serialize()).toEqual(before)
    expect([...reasons].sort()).toEqual(['auth-failed', 'malformed', 'no-matching-chain'])
    expect(bob.decrypt(message)).toEqual({ ok: true, plaintext: text('a message of moderate length for flipping') })
  })

  it('a failure on the first message of a new chain (DH ratchet step on the draft) leaves the state byte-identical', async () => {
    const { alice, bob } = await establish()
    expect(bob.decrypt(alice.encrypt(text('to bob'))).ok).toBe(true)
    // Bob's reply starts a new chain for Alice: decrypting it runs a full DH ratchet step.
    const reply = bob.encrypt(text('new chain'), text('ad'))
    const before = alice.serialize()
    for (const offset of [reply.length - 1, reply.length - 20, 60]) {
      const tampered = reply.slice()
      tampered[offset] = (tampered[offset] as number) ^ 0x04
      expect(alice.decrypt(tampered, text('ad')).ok).toBe(false)
      expect(alice.serialize()).toEqual(before)
    }
    expect(alice.decrypt(reply, text('other ad'))).toEqual({ ok: false, reason: 'auth-failed' })
    expect(alice.serialize()).toEqual(before)
    expect(alice.decrypt(reply, text('ad'))).toEqual({ ok: true, plaintext: text('new chain') })
  })

  it('replays of a ratchet message fail as duplicates without changing the state (adversarial category 1)', async () => {
    const { alice, bob } = await establish()
    const message = alice.encrypt(text('once'))
    expect(bob.decrypt(message).ok).toBe(true)
    const before = bob.serialize()
    expect(bob.decrypt(message)).toEqual({ ok: false, reason: 'duplicate' })
    expect(bob.serialize()).toEqual(before)
  })
})

describe('compromise (adversarial category 5)', () => {
  it('post-compromise security: a cloned state stops decrypting after one round trip', async () => {
    const { alice, bob } = await establish()
    const stolen = SessionRecord.deserialize(bob.serialize())
    // Before healing the thief reads Alice's next message on the current chain.
    const early = alice.encrypt(text('still readable'))
    expect(SessionRecord.deserialize(stolen.serialize()).decrypt(early).ok).toBe(true)
    expect(bob.decrypt(early).ok).toBe(true)
    // One round trip: both sides generate fresh ratchet keys the thief never sees.
    expect(alice.decrypt(bob.encrypt(text('ping'))).ok).toBe(true)
    expect(bob.decrypt(alice.encrypt(text('pong'))).ok).toBe(true)
    const healed = alice.encrypt(text('secret again'))
    const attempt = stolen.decrypt(healed)
    expect(attempt.ok).toBe(false)
    expect(bob.decrypt(healed)).toEqual({ ok: true, plaintext: text('secret again') })
  })

  it('forward secrecy: a state taken after decryption cannot decrypt earlier messages', async () => {
    const { alice, bob } = await establish()
    const old = [alice.encrypt(text('m1')), alice.encrypt(text('m2'))]
    for (const message of old) expect(bob.decrypt(message).ok).toBe(true)
    expect(alice.decrypt(bob.encrypt(text('ack'))).ok).toBe(true)
    const compromised = SessionRecord.deserialize(bob.serialize())
    for (const message of old) expect(compromised.decrypt(message)).toEqual({ ok: false, reason: 'duplicate' })
  })
})

describe('serialization (docs/protocol.md section 4.8)', () => {
  it('round trips byte-identically and keeps working', async () => {
    const { alice, bob } = await establish()
    const bytes = bob.serialize()
    const copy = SessionRecord.deserialize(bytes)
    expect(copy.serialize()).toEqual(bytes)
    expect(copy.decrypt(alice.encrypt(text('after restore')))).toEqual({ ok: true, plaintext: text('after restore') })
  })

  it('rejects every truncation, a wrong version and trailing bytes with InvalidSessionStateError', async () => {
    const { bob } = await establish()
    const bytes = bob.serialize()
    for (let length = 0; length < bytes.length; length++) {
      expect(() => SessionRecord.deserialize(bytes.subarray(0, length)), `length ${length}`).toThrow(InvalidSessionStateError)
    }
    const wrongVersion = bytes.slice()
    wrongVersion[0] = 2
    expect(() => SessionRecord.deserialize(wrongVersion)).toThrow(InvalidSessionStateError)
    expect(() => SessionRecord.deserialize(concatBytes(bytes, Uint8Array.of(0)))).toThrow(InvalidSessionStateError)
    expect(() => SessionRecord.deserialize('x' as unknown as Uint8Array)).toThrow(TypeError)
  })

  it('encrypting without a session is a caller error; decrypting without one is a typed result', () => {
    const empty = new SessionRecord()
    expect(() => empty.encrypt(text('x'))).toThrow('no session')
    expect(empty.decrypt(Uint8Array.of(1, 0x30, 0))).toEqual({ ok: false, reason: 'no-session' })
  })
})
