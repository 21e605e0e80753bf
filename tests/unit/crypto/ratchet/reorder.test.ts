import { beforeAll, describe, expect, it } from 'vitest'
import { loadSodium } from '../../../../src/main/core/crypto/sodium'
import { SessionRecord } from '../../../../src/main/core/crypto/session/session-record'
import { deterministicRandom } from '../session/drbg'
import { establish, str, text } from '../session/establish'

beforeAll(async () => {
  await loadSodium()
})

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items]
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]))
}

describe('reordering across DH steps (adversarial category 2)', () => {
  it('every permutation of messages from three sending chains decrypts exactly once and ends in the in-order state', async () => {
    const now = () => 1_700_000_000_000
    const { alice, bob } = await establish({ aliceRandom: deterministicRandom('alice'), bobRandom: deterministicRandom('bob'), now })
    const pending: { label: string; bytes: Uint8Array }[] = []
    const send = (label: string) => ({ label, bytes: alice.encrypt(text(label)) })
    // Chain 1: a1 arrives, a2 is delayed.
    const a1 = send('a1')
    pending.push(send('a2'))
    expect(bob.decrypt(a1.bytes).ok).toBe(true)
    expect(alice.decrypt(bob.encrypt(text('b1'))).ok).toBe(true)
    // Chain 2: a3 arrives, a4 is delayed.
    const a3 = send('a3')
    pending.push(send('a4'))
    expect(bob.decrypt(a3.bytes).ok).toBe(true)
    expect(alice.decrypt(bob.encrypt(text('b2'))).ok).toBe(true)
    // Chain 3: nothing has arrived yet.
    pending.push(send('a5'), send('a6'), send('a7'))

    const snapshot = bob.serialize()
    const finalStates = new Set<string>()
    const orders = permutations(pending)
    expect(orders.length).toBe(120)
    for (const order of orders) {
      const receiver = SessionRecord.deserialize(snapshot, { random: deterministicRandom('bob-receive'), now })
      for (const message of order) {
        const result = receiver.decrypt(message.bytes)
        expect(result.ok && str(result.plaintext), order.map((m) => m.label).join(',')).toBe(message.label)
      }
      for (const message of order) expect(receiver.decrypt(message.bytes)).toEqual({ ok: false, reason: 'duplicate' })
      expect(receiver.skippedKeyCount).toBe(0)
      finalStates.add(Buffer.from(receiver.serialize()).toString('hex'))
    }
    // Same final state whatever the order, i.e. the in-order state.
    expect(finalStates.size).toBe(1)
  })
})
