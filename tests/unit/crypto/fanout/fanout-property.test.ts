import { beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { loadSodium } from '../../../../src/main/core/crypto/sodium'
import { deviceKey, fanoutEncrypt, forgetDevices, type FanoutResult } from '../../../../src/main/core/crypto/fanout/fanout-encrypt'
import { fanoutDecrypt } from '../../../../src/main/core/crypto/fanout/fanout-decrypt'
import { bundlesFor, makeAccount, targetsFor, type TestAccount, type TestDevice } from './accounts'

/**
 * Sesame under an adversarial network (protocol section 6.4): two accounts
 * with 2-3 devices each; random sends, deliveries in any order, drops and
 * duplicates. Every delivered message decrypts exactly once per device (a
 * duplicate never decrypts twice); afterwards one sequential round per
 * device brings every pair of devices onto one session, so a second round
 * carries no initial-message material and decrypts everywhere.
 */

interface InFlight {
  readonly id: string
  readonly from: TestDevice
  readonly fromAccount: TestAccount
  readonly to: TestDevice
  readonly ciphertext: Uint8Array
}

type Command = { kind: 'send'; device: number } | { kind: 'deliver' | 'duplicate' | 'drop'; pick: number }

const commandArbitrary: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('send' as const), device: fc.nat(5) }),
  fc.record({ kind: fc.constant('deliver' as const), pick: fc.nat(1000) }),
  fc.record({ kind: fc.constant('deliver' as const), pick: fc.nat(1000) }),
  fc.record({ kind: fc.constant('duplicate' as const), pick: fc.nat(1000) }),
  fc.record({ kind: fc.constant('drop' as const), pick: fc.nat(1000) })
)

class World {
  readonly accounts: [TestAccount, TestAccount]
  readonly devices: TestDevice[]
  readonly pending: InFlight[] = []
  readonly delivered: InFlight[] = []
  private counter = 0

  constructor(aliceDevices: number, bobDevices: number) {
    this.accounts = [makeAccount(aliceDevices, 1), makeAccount(bobDevices, 20)]
    this.devices = this.accounts.flatMap((a) => a.devices)
  }

  accountOf(device: TestDevice): TestAccount {
    return this.accounts.find((a) => a.devices.includes(device)) as TestAccount
  }

  send(from: TestDevice): InFlight[] {
    const own = this.accountOf(from)
    const other = this.accounts.find((a) => a !== own) as TestAccount
    const id = `m${this.counter++}`
    const base = { local: from.local, store: from.store, targets: targetsFor(other, own), plaintext: new TextEncoder().encode(id) }
    let result: FanoutResult = fanoutEncrypt(base)
    if (result.kind === 'stale-devices') {
      forgetDevices(from.store, result.extra)
      result = fanoutEncrypt({ ...base, bundles: bundlesFor(this.accounts, result.missing) })
    }
    if (result.kind !== 'encrypted') throw new Error(`fan-out failed: ${result.kind}`)
    expect(result.messages).toHaveLength(this.devices.length - 1)
    const sent = result.messages.map((m) => ({
      id,
      from,
      fromAccount: own,
      to: this.devices.find((d) => deviceKey(d.address) === deviceKey(m)) as TestDevice,
      ciphertext: m.ciphertext
    }))
    this.pending.push(...sent)
    return sent
  }

  receive(message: InFlight): ReturnType<typeof fanoutDecrypt> {
    return fanoutDecrypt({
      local: message.to.local,
      preKeys: message.to.preKeys,
      store: message.to.store,
      sender: message.from.address,
      senderDeviceList: message.fromAccount.list,
      message: message.ciphertext
    })
  }

  /** First delivery: must decrypt to its id. */
  deliver(message: InFlight): void {
    const result = this.receive(message)
    expect(result.ok ? new TextDecoder().decode(result.plaintext) : result.reason).toBe(message.id)
    this.delivered.push(message)
  }

  /** Re-delivery: must never decrypt again, and must leave the receiver's store unchanged. */
  duplicate(message: InFlight): void {
    const before = message.to.store.serialize()
    expect(this.receive(message).ok).toBe(false)
    expect(message.to.store.serialize()).toEqual(before)
  }
}

beforeAll(async () => {
  await loadSodium()
})

describe('Sesame fan-out property (protocol section 6.4)', () => {
  it('every message decrypts exactly once per device and states converge', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 3 }), fc.integer({ min: 2, max: 3 }), fc.array(commandArbitrary, { maxLength: 24 }), (na, nb, commands) => {
        const world = new World(na, nb)
        for (const command of commands) {
          if (command.kind === 'send') {
            world.send(world.devices[command.device % world.devices.length] as TestDevice)
          } else if (command.kind === 'duplicate') {
            if (world.delivered.length > 0) world.duplicate(world.delivered[command.pick % world.delivered.length] as InFlight)
          } else if (world.pending.length > 0) {
            const [message] = world.pending.splice(command.pick % world.pending.length, 1) as [InFlight]
            if (command.kind === 'deliver') world.deliver(message)
          }
        }
        // Flush what is still in flight, in the order fast-check left it.
        while (world.pending.length > 0) world.deliver(world.pending.shift() as InFlight)
        // One sequential round: each device sends and everything is delivered at once.
        for (const device of world.devices) {
          for (const message of world.send(device)) world.deliver(message)
        }
        world.pending.length = 0
        // Converged: a second round carries no initial-message material and decrypts everywhere.
        for (const device of world.devices) {
          for (const message of world.send(device)) {
            expect(message.ciphertext[1]).toBe(0x30) // a plain ratchet message, not an initial message (0x31)
            world.deliver(message)
          }
        }
        world.pending.length = 0
      }),
      { numRuns: 12 }
    )
  })
})
