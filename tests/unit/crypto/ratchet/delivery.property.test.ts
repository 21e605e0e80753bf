import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadSodium } from '../../../../src/main/core/crypto/sodium'
import type { SessionRecord } from '../../../../src/main/core/crypto/session/session-record'
import { establish, str, text } from '../session/establish'

/** Default runs keep the suite fast; CRYPTO_PROPERTY_RUNS=500 for a long campaign. */
const RUNS = Number(process.env.CRYPTO_PROPERTY_RUNS ?? 30)
/** Longest command sequence; CRYPTO_PROPERTY_COMMANDS=300 reaches chain eviction and several PQ steps more often. */
const MAX_COMMANDS = Number(process.env.CRYPTO_PROPERTY_COMMANDS ?? 60)

beforeAll(async () => {
  await loadSodium()
})

type Side = 'alice' | 'bob'
type Command =
  | { kind: 'send'; from: Side; count: number }
  | { kind: 'deliver'; pick: number }
  | { kind: 'duplicate'; pick: number }
  | { kind: 'drop'; pick: number }

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('send' as const), from: fc.constantFrom<Side>('alice', 'bob'), count: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('deliver' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('deliver' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('drop' as const), pick: fc.nat() })
)

interface InFlight {
  from: Side
  label: string
  bytes: Uint8Array
  chain: string
  decrypted: number
}

const hex = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('hex')

describe('random delivery orders, drops and duplicates between two devices (fast-check)', () => {
  it('every message decrypts exactly once (unless its chain aged out) and both sides converge', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 5, maxLength: MAX_COMMANDS, size: 'max' }), fc.array(fc.nat(), { maxLength: 200, size: 'max' }), async (commands, finalOrder) => {
        const { alice, bob } = await establish()
        const parties: Record<Side, SessionRecord> = { alice, bob }
        const other = (side: Side): Side => (side === 'alice' ? 'bob' : 'alice')
        let inFlight: InFlight[] = []
        const openedChains = new Set<string>()
        let counter = 0

        const deliver = (message: InFlight) => {
          const recipient = parties[other(message.from)]
          // A chain the recipient still keeps must open, and so must a chain it never opened: with two
          // parties that can only be the sender's next chain (a later one needs the recipient's reply).
          const reachable = recipient.receiverRatchetKeys.map(hex).includes(message.chain) || !openedChains.has(message.chain)
          const result = recipient.decrypt(message.bytes)
          if (result.ok) {
            openedChains.add(message.chain)
            expect(str(result.plaintext)).toBe(message.label)
            message.decrypted++
            expect(message.decrypted).toBe(1)
          } else if (message.decrypted === 0) {
            expect(reachable, `first delivery of ${message.label} failed: ${result.reason}`).toBe(false)
            expect(result.reason).toBe('no-matching-chain')
          } else {
            expect(['duplicate', 'no-matching-chain']).toContain(result.reason)
          }
        }

        for (const step of commands) {
          if (step.kind === 'send') {
            for (let i = 0; i < step.count; i++) {
              const label = `${step.from}-${counter++}`
              const chain = hex(parties[step.from].sendingRatchetKey)
              inFlight.push({ from: step.from, label, bytes: parties[step.from].encrypt(text(label)), chain, decrypted: 0 })
            }
            continue
          }
          if (inFlight.length === 0) continue
          const index = step.pick % inFlight.length
          const message = inFlight[index] as InFlight
          if (step.kind === 'drop') inFlight = inFlight.filter((_, i) => i !== index)
          else if (step.kind === 'deliver') {
            inFlight = inFlight.filter((_, i) => i !== index)
            deliver(message)
          } else deliver(message) // duplicate: delivered now and stays in flight for a second delivery
        }
        // Deliver everything still in flight, in an arbitrary order.
        const rest = [...inFlight]
        for (const pick of finalOrder) {
          if (rest.length === 0) break
          deliver(rest.splice(pick % rest.length, 1)[0] as InFlight)
        }
        for (const message of rest) deliver(message)

        // Convergence: a final round trip works and each side tracks the other's current ratchet key.
        const toBob = alice.encrypt(text('final from alice'))
        expect(bob.decrypt(toBob)).toEqual({ ok: true, plaintext: text('final from alice') })
        expect(hex(bob.receiverRatchetKeys[0])).toBe(hex(alice.sendingRatchetKey))
        const toAlice = bob.encrypt(text('final from bob'))
        expect(alice.decrypt(toAlice)).toEqual({ ok: true, plaintext: text('final from bob') })
        expect(hex(alice.receiverRatchetKeys[0])).toBe(hex(bob.sendingRatchetKey))
        const again = alice.encrypt(text('after'))
        expect(bob.decrypt(again).ok).toBe(true)
        expect(bob.decrypt(again)).toEqual({ ok: false, reason: 'duplicate' })
      }),
      { numRuns: RUNS }
    )
  }, 120_000)
})
