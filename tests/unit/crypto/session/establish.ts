import { initiateSession } from '../../../../src/main/core/crypto/session/initiate-session'
import { acceptSession } from '../../../../src/main/core/crypto/session/accept-session'
import type { SessionRecord } from '../../../../src/main/core/crypto/session/session-record'
import type { RandomSource } from '../../../../src/main/core/crypto/primitives/bytes'
import { makeParty, type Party } from './fixtures'

export const text = (value: string): Uint8Array => new TextEncoder().encode(value)
export const str = (bytes: Uint8Array): string => new TextDecoder().decode(bytes)

export interface Established {
  alice: SessionRecord
  bob: SessionRecord
  aliceParty: Party
  bobParty: Party
}

/**
 * A real session between two real devices: Alice initiates from Bob's
 * bundle, Bob accepts her first message, and (unless `reply` is false) Bob's
 * reply reaches Alice, which ends Alice's initial-message phase.
 */
export async function establish(
  options: { reply?: boolean; aliceRandom?: RandomSource; bobRandom?: RandomSource; now?: () => number } = {}
): Promise<Established> {
  const aliceParty = await makeParty(1)
  const bobParty = await makeParty(2)
  const init = initiateSession({
    local: aliceParty.device,
    bundle: bobParty.bundle(),
    remoteAccountKey: bobParty.account.publicKey,
    ...(options.aliceRandom ? { random: options.aliceRandom } : {}),
    ...(options.now ? { now: options.now } : {})
  })
  if (!init.ok) throw new Error(`initiate: ${init.reason}`)
  const accepted = acceptSession({
    local: bobParty.device,
    preKeys: bobParty.preKeys,
    message: init.record.encrypt(text('hello bob')),
    ...(options.bobRandom ? { random: options.bobRandom } : {}),
    ...(options.now ? { now: options.now } : {})
  })
  if (!accepted.ok) throw new Error(`accept: ${accepted.reason}`)
  bobParty.preKeys.consume(accepted.consumed)
  if (options.reply !== false) {
    const reply = accepted.record.decrypt(init.record.encrypt(text('noop')))
    if (!reply.ok) throw new Error(`second message: ${reply.reason}`)
    const back = init.record.decrypt(accepted.record.encrypt(text('hello alice')))
    if (!back.ok) throw new Error(`reply: ${back.reason}`)
  }
  return { alice: init.record, bob: accepted.record, aliceParty, bobParty }
}
