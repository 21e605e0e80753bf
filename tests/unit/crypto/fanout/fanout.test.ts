import { beforeAll, describe, expect, it } from 'vitest'
import { loadSodium } from '../../../../src/main/core/crypto/sodium'
import { deviceKey, fanoutEncrypt, forgetDevices, type FanoutMessage, type FanoutResult } from '../../../../src/main/core/crypto/fanout/fanout-encrypt'
import { fanoutDecrypt } from '../../../../src/main/core/crypto/fanout/fanout-decrypt'
import { SesameStore } from '../../../../src/main/core/crypto/fanout/session-store'
import { openEnvelope, sealEnvelope } from '../../../../src/main/core/crypto/sealed-sender/envelope'
import { NOW, addDevice, bundlesFor, makeAccount, removeDevice, targetsFor, type TestAccount, type TestDevice } from './accounts'

const text = (s: string): Uint8Array => new TextEncoder().encode(s)
const read = (b: Uint8Array): string => new TextDecoder().decode(b)

beforeAll(async () => {
  await loadSodium()
})

/** Sends from `from` to `to` + own account, answering stale-devices with fresh bundles once. */
function send(from: TestDevice, own: TestAccount, to: TestAccount, plaintext: string): readonly FanoutMessage[] {
  const base = { local: from.local, store: from.store, targets: targetsFor(to, own), plaintext: text(plaintext) }
  let result: FanoutResult = fanoutEncrypt(base)
  if (result.kind === 'stale-devices') {
    forgetDevices(from.store, result.extra)
    result = fanoutEncrypt({ ...base, bundles: bundlesFor([own, to], result.missing) })
  }
  if (result.kind !== 'encrypted') throw new Error(`fan-out failed: ${result.kind}`)
  return result.messages
}

function deliver(message: FanoutMessage, from: TestDevice, fromAccount: TestAccount, accounts: TestAccount[]) {
  const device = accounts.flatMap((a) => a.devices).find((d) => deviceKey(d.address) === deviceKey(message))
  if (!device) throw new Error('no such device')
  return fanoutDecrypt({
    local: device.local,
    preKeys: device.preKeys,
    store: device.store,
    sender: from.address,
    senderDeviceList: fromAccount.list,
    message: message.ciphertext
  })
}

describe('multi-device fan-out (Sesame; protocol section 6)', () => {
  it('returns stale-devices until bundles are supplied, then reaches every other device once', () => {
    const alice = makeAccount(2)
    const bob = makeAccount(2, 10)
    const [a1] = alice.devices as [TestDevice]
    const first = fanoutEncrypt({ local: a1.local, store: a1.store, targets: targetsFor(bob, alice), plaintext: text('hi') })
    expect(first.kind).toBe('stale-devices')
    if (first.kind !== 'stale-devices') return
    expect(first.missing.map((d) => d.deviceId).sort((x, y) => x - y)).toEqual([2, 10, 11])
    expect(first.extra).toEqual([])
    expect(a1.store.serialize()).toEqual(new SesameStore().serialize()) // nothing was created

    const messages = send(a1, alice, bob, 'hi')
    expect(messages.map((m) => m.deviceId).sort((x, y) => x - y)).toEqual([2, 10, 11])
    expect(messages.every((m) => m.initial)).toBe(true)
    for (const m of messages) {
      const result = deliver(m, a1, alice, [alice, bob])
      expect(result.ok && read(result.plaintext)).toBe('hi')
      expect(result.ok && result.newSession).toBe(true)
    }
  })

  it('keeps the initial-message material until the first reply, per device', () => {
    const alice = makeAccount(1)
    const bob = makeAccount(2, 10)
    const [a1] = alice.devices as [TestDevice]
    const [b1, b2] = bob.devices as [TestDevice, TestDevice]
    for (const m of send(a1, alice, bob, 'one')) expect(deliver(m, a1, alice, [bob]).ok).toBe(true)
    const second = send(a1, alice, bob, 'two')
    expect(second.every((m) => m.initial)).toBe(true) // no reply yet: still initial messages
    for (const m of second) expect(deliver(m, a1, alice, [bob]).ok).toBe(true)

    for (const m of send(b1, bob, alice, 'reply from b1')) {
      const result = deliver(m, b1, bob, [alice, bob])
      expect(result.ok).toBe(true)
    }
    const third = send(a1, alice, bob, 'three')
    expect(third.find((m) => m.deviceId === 10)?.initial).toBe(false) // b1 replied
    expect(third.find((m) => m.deviceId === 11)?.initial).toBe(true) // b2 has not
    for (const m of third) expect(deliver(m, a1, alice, [bob]).ok).toBe(true)
    expect(b2.store.get(a1.address)?.hasSession).toBe(true)
  })

  it('a removed device is reported as extra and, once forgotten, no longer receives', () => {
    const alice = makeAccount(1)
    const bob = makeAccount(2, 10)
    const [a1] = alice.devices as [TestDevice]
    send(a1, alice, bob, 'before')
    removeDevice(bob, 11)
    const result = fanoutEncrypt({ local: a1.local, store: a1.store, targets: targetsFor(bob, alice), plaintext: text('after') })
    expect(result).toEqual({ kind: 'stale-devices', missing: [], extra: [{ accountKey: bob.identity.publicKey, deviceId: 11 }] })
    expect(send(a1, alice, bob, 'after').map((m) => m.deviceId)).toEqual([10])
  })

  it('an added device is reported as missing', () => {
    const alice = makeAccount(1)
    const bob = makeAccount(1, 10)
    const [a1] = alice.devices as [TestDevice]
    send(a1, alice, bob, 'before')
    addDevice(bob, 12)
    const result = fanoutEncrypt({ local: a1.local, store: a1.store, targets: targetsFor(bob, alice), plaintext: text('after') })
    expect(result).toEqual({ kind: 'stale-devices', missing: [{ accountKey: bob.identity.publicKey, deviceId: 12 }], extra: [] })
  })

  it('refuses a sender device missing from its list, or an initial message claiming another device', () => {
    const alice = makeAccount(2)
    const bob = makeAccount(1, 10)
    const [a1, a2] = alice.devices as [TestDevice, TestDevice]
    const [b1] = bob.devices as [TestDevice]
    const toB1 = send(a1, alice, bob, 'x').find((m) => m.deviceId === 10) as FanoutMessage
    const before = b1.store.serialize()
    const params = { local: b1.local, preKeys: b1.preKeys, store: b1.store, message: toB1.ciphertext }
    const staleList = makeAccount(1).list // a list that does not contain Alice's devices
    expect(fanoutDecrypt({ ...params, sender: a1.address, senderDeviceList: staleList })).toEqual({ ok: false, reason: 'unknown-sender-device' })
    expect(fanoutDecrypt({ ...params, sender: a2.address, senderDeviceList: alice.list })).toEqual({ ok: false, reason: 'sender-mismatch' })
    expect(b1.store.serialize()).toEqual(before)
    expect(fanoutDecrypt({ ...params, sender: a1.address, senderDeviceList: alice.list }).ok).toBe(true)
  })

  it('refuses messages from a device whose listed keys were replaced', () => {
    const alice = makeAccount(2)
    const bob = makeAccount(1, 10)
    const [a1] = alice.devices as [TestDevice]
    const [b1] = bob.devices as [TestDevice]
    for (const m of send(a1, alice, bob, 'hello')) expect(deliver(m, a1, alice, [alice, bob]).ok).toBe(true)
    for (const m of send(b1, bob, alice, 'reply')) expect(deliver(m, b1, bob, [alice, bob]).ok).toBe(true)
    const later = send(a1, alice, bob, 'from the old keys').find((m) => m.deviceId === 10)
    expect(later?.initial).toBe(false)
    // Alice's account re-issues device id 1 with new keys (e.g. reinstalled) and publishes a new list.
    removeDevice(alice, 1)
    addDevice(alice, 1)
    expect(deliver(later as FanoutMessage, a1, alice, [bob])).toEqual({ ok: false, reason: 'unknown-sender-device' })
  })

  it('rejects a bundle of another device filed under this address, changing nothing', () => {
    const alice = makeAccount(1)
    const bob = makeAccount(2, 10)
    const [a1] = alice.devices as [TestDevice]
    const [b1, b2] = bob.devices as [TestDevice, TestDevice]
    const bundles = new Map([
      [deviceKey(b1.address), b2.bundle()],
      [deviceKey(b2.address), b2.bundle()]
    ])
    const result = fanoutEncrypt({ local: a1.local, store: a1.store, targets: targetsFor(bob, alice), bundles, plaintext: text('x') })
    expect(result).toEqual({ kind: 'bundle-rejected', device: b1.address, reason: 'uncertified-device' })
    expect(a1.store.deviceIds(bob.identity.publicKey)).toEqual([])
  })

  it('works end to end inside sealed-sender envelopes and survives a store round-trip', () => {
    const alice = makeAccount(1)
    const bob = makeAccount(1, 10)
    const [a1] = alice.devices as [TestDevice]
    const [b1] = bob.devices as [TestDevice]
    for (const round of [1, 2, 3]) {
      const [toBob] = send(a1, alice, bob, `round ${round}`)
      const sealed = sealEnvelope({
        senderCertificate: a1.local.certificate,
        senderIdentity: a1.local.keys.identity,
        recipientIdentityKey: b1.local.keys.identity.publicKey,
        contentType: 1,
        content: (toBob as FanoutMessage).ciphertext,
        sentAtMs: NOW
      })
      const opened = openEnvelope(sealed, b1.local.keys.identity, NOW, { expectedSenderAccountKey: alice.identity.publicKey })
      if (!opened.ok) throw new Error(opened.reason)
      const result = fanoutDecrypt({
        local: b1.local,
        preKeys: b1.preKeys,
        store: b1.store,
        sender: { accountKey: opened.envelope.sender.accountKey, deviceId: opened.envelope.sender.deviceId },
        senderDeviceList: alice.list,
        message: opened.envelope.content
      })
      expect(result.ok && read(result.plaintext)).toBe(`round ${round}`)
      const restored = SesameStore.deserialize(b1.store.serialize(), b1.store.sessionOptions)
      expect(restored?.serialize()).toEqual(b1.store.serialize())
    }
    const bytes = a1.store.serialize()
    expect(SesameStore.deserialize(bytes.subarray(0, bytes.length - 2))).toBeNull()
  })
})
