import { beforeAll, describe, expect, it } from 'vitest'
import { loadSodium } from '../../../../src/main/core/crypto/sodium'
import { chainStepCount } from '../../../../src/main/core/crypto/ratchet/kdf'
import {
  MAX_ARCHIVED_SESSIONS,
  MAX_FORWARD_JUMP,
  MAX_RECEIVER_CHAINS,
  MAX_SKIPPED_KEYS,
  MAX_SKIPPED_KEY_AGE_MS
} from '../../../../src/main/core/crypto/ratchet/limits'
import { initiateSession } from '../../../../src/main/core/crypto/session/initiate-session'
import { acceptSession } from '../../../../src/main/core/crypto/session/accept-session'
import { SessionRecord } from '../../../../src/main/core/crypto/session/session-record'
import { establish, text } from '../session/establish'
import { makeParty } from '../session/fixtures'

beforeAll(async () => {
  await loadSodium()
})

describe('forward jump and skipped-key limits (docs/protocol.md section 4.5, adversarial category 3)', () => {
  it('a jump over 25,000 is rejected before any KDF work; 25,000 is accepted and keeps only the newest 2,000 skipped keys', async () => {
    const { alice, bob } = await establish()
    const messages: Uint8Array[] = []
    for (let i = 0; i <= MAX_FORWARD_JUMP + 1; i++) messages.push(alice.encrypt(text(`m${i}`)))
    const before = bob.serialize()
    const stepsBefore = chainStepCount()
    expect(bob.decrypt(messages[MAX_FORWARD_JUMP + 1] as Uint8Array)).toEqual({ ok: false, reason: 'too-far-ahead' })
    expect(chainStepCount()).toBe(stepsBefore)
    expect(bob.serialize()).toEqual(before)

    expect(bob.decrypt(messages[MAX_FORWARD_JUMP] as Uint8Array)).toEqual({ ok: true, plaintext: text(`m${MAX_FORWARD_JUMP}`) })
    expect(bob.skippedKeyCount).toBe(MAX_SKIPPED_KEYS)
    // The oldest skipped keys were evicted; the newest 2,000 remain usable exactly once.
    expect(bob.decrypt(messages[MAX_FORWARD_JUMP - MAX_SKIPPED_KEYS - 1] as Uint8Array)).toEqual({ ok: false, reason: 'duplicate' })
    expect(bob.decrypt(messages[0] as Uint8Array)).toEqual({ ok: false, reason: 'duplicate' })
    expect(bob.decrypt(messages[MAX_FORWARD_JUMP - MAX_SKIPPED_KEYS] as Uint8Array).ok).toBe(true)
    expect(bob.decrypt(messages[MAX_FORWARD_JUMP - 1] as Uint8Array).ok).toBe(true)
    expect(bob.skippedKeyCount).toBe(MAX_SKIPPED_KEYS - 2)
    expect(bob.decrypt(messages[MAX_FORWARD_JUMP + 1] as Uint8Array).ok).toBe(true)
  })

  it('the first message of a new chain claiming an index over 25,000 is refused before DH or KDF work', async () => {
    const { alice, bob } = await establish()
    // Alice's next chain: she receives Bob's message, ratchets, then sends 25,002 messages.
    expect(alice.decrypt(bob.encrypt(text('turn'))).ok).toBe(true)
    let last: Uint8Array = new Uint8Array()
    for (let i = 0; i <= MAX_FORWARD_JUMP + 1; i++) last = alice.encrypt(text('x'))
    const before = bob.serialize()
    const stepsBefore = chainStepCount()
    expect(bob.decrypt(last)).toEqual({ ok: false, reason: 'too-far-ahead' })
    expect(chainStepCount()).toBe(stepsBefore)
    expect(bob.serialize()).toEqual(before)
  })

  it('skipped keys older than 30 days are evicted', async () => {
    let clock = 1_700_000_000_000
    const now = () => clock
    const { alice, bob } = await establish({ now })
    const bobWithClock = SessionRecord.deserialize(bob.serialize(), { now })
    const late = alice.encrypt(text('late'))
    expect(bobWithClock.decrypt(alice.encrypt(text('next'))).ok).toBe(true)
    expect(bobWithClock.skippedKeyCount).toBe(1)
    clock += MAX_SKIPPED_KEY_AGE_MS + 1
    expect(bobWithClock.decrypt(alice.encrypt(text('much later'))).ok).toBe(true)
    expect(bobWithClock.skippedKeyCount).toBe(0)
    expect(bobWithClock.decrypt(late)).toEqual({ ok: false, reason: 'duplicate' })
  })
})

describe('receiver chains and archived sessions', () => {
  it(`keeps ${MAX_RECEIVER_CHAINS} receiver chains; a late message of an older chain is undecryptable`, async () => {
    const { alice, bob } = await establish()
    const lateByChain: Uint8Array[] = []
    for (let round = 0; round < MAX_RECEIVER_CHAINS + 2; round++) {
      lateByChain.push(alice.encrypt(text(`late ${round}`)))
      expect(bob.decrypt(alice.encrypt(text(`on time ${round}`))).ok).toBe(true)
      expect(alice.decrypt(bob.encrypt(text(`reply ${round}`))).ok).toBe(true)
    }
    expect(bob.receiverChainCount).toBe(MAX_RECEIVER_CHAINS)
    // The chains of the first rounds were dropped with their skipped keys.
    expect(bob.decrypt(lateByChain[0] as Uint8Array)).toEqual({ ok: false, reason: 'no-matching-chain' })
    expect(bob.decrypt(lateByChain[1] as Uint8Array)).toEqual({ ok: false, reason: 'no-matching-chain' })
    // The newest chains still decrypt their late messages.
    for (let round = 2; round < MAX_RECEIVER_CHAINS + 2; round++) {
      expect(bob.decrypt(lateByChain[round] as Uint8Array)).toEqual({ ok: true, plaintext: text(`late ${round}`) })
    }
  })

  it(`keeps ${MAX_ARCHIVED_SESSIONS} archived sessions per device and still decrypts for an archived one`, async () => {
    const alice = await makeParty(1)
    const bob = await makeParty(2)
    const record = new SessionRecord()
    const aliceRecords: SessionRecord[] = []
    for (let i = 0; i < MAX_ARCHIVED_SESSIONS + 2; i++) {
      const init = initiateSession({ local: alice.device, bundle: bob.bundle({ withOneTime: false }), remoteAccountKey: bob.account.publicKey })
      if (!init.ok) throw new Error(init.reason)
      const accepted = acceptSession({ local: bob.device, preKeys: bob.preKeys, message: init.record.encrypt(text(`s${i}`)), record })
      expect(accepted.ok).toBe(true)
      aliceRecords.push(init.record)
    }
    expect(record.archivedCount).toBe(MAX_ARCHIVED_SESSIONS)
    // The newest archived session still works (the peer did not learn about our newer one yet) and is promoted.
    const fromArchived = (aliceRecords[MAX_ARCHIVED_SESSIONS] as SessionRecord).encrypt(text('from an archived session'))
    expect(record.decrypt(fromArchived)).toEqual({ ok: true, plaintext: text('from an archived session') })
    // The oldest session was dropped: its initial message is no longer recognised.
    expect(record.decrypt((aliceRecords[0] as SessionRecord).encrypt(text('too old')))).toEqual({ ok: false, reason: 'needs-acceptance' })
  })
})
