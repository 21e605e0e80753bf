import { describe, expect, it } from 'vitest'
import { initiateSession } from '../../../../src/main/core/crypto/session/initiate-session'
import { acceptSession } from '../../../../src/main/core/crypto/session/accept-session'
import { SessionRecord } from '../../../../src/main/core/crypto/session/session-record'
import { makeParty } from './fixtures'

const text = (s: string) => new TextEncoder().encode(s)
const str = (b: Uint8Array) => new TextDecoder().decode(b)

describe('smoke', () => {
  it('round trips', async () => {
    const alice = await makeParty(1)
    const bob = await makeParty(2)
    const init = initiateSession({ local: alice.device, bundle: bob.bundle(), remoteAccountKey: bob.account.publicKey })
    if (!init.ok) throw new Error(init.reason)
    const m1 = init.record.encrypt(text('hello'))
    const acc = acceptSession({ local: bob.device, preKeys: bob.preKeys, message: m1 })
    if (!acc.ok) throw new Error(acc.reason)
    expect(str(acc.plaintext)).toBe('hello')
    let a = init.record
    let b = acc.record
    for (let i = 0; i < 300; i++) {
      const [s, r] = Math.floor(i / 7) % 2 === 0 ? [b, a] : [a, b]
      const m = s.encrypt(text('m' + i))
      const out = r.decrypt(m)
      if (!out.ok) throw new Error(i + out.reason)
      expect(str(out.plaintext)).toBe('m' + i)
      a = SessionRecord.deserialize(a.serialize())
      b = SessionRecord.deserialize(b.serialize())
    }
  })
})
