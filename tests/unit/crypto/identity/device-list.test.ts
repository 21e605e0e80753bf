import { beforeAll, describe, expect, it } from 'vitest'
import { loadSodium } from '../../../../src/main/core/crypto/sodium'
import { generateAccountIdentity, generateDeviceKeys } from '../../../../src/main/core/crypto/identity/device-keys'
import { decodeDeviceCertificate, issueDeviceCertificate, verifyDeviceCertificate } from '../../../../src/main/core/crypto/identity/device-certificate'
import { findCertifiedDevice, signDeviceList, verifyDeviceList } from '../../../../src/main/core/crypto/identity/device-list'

beforeAll(async () => {
  await loadSodium()
})

const T = 1_700_000_000_000

describe('device certificates (docs/protocol.md section 1.2)', () => {
  it('an account certifies a device; the certificate verifies and decodes to the same keys', () => {
    const account = generateAccountIdentity()
    const device = generateDeviceKeys(7)
    const certificate = issueDeviceCertificate(account, device, T)
    expect(certificate.bytes.length).toBe(177)
    const verified = verifyDeviceCertificate(certificate.bytes, account.publicKey)
    expect(verified.ok).toBe(true)
    const decoded = decodeDeviceCertificate(certificate.bytes)
    expect(decoded?.deviceId).toBe(7)
    expect(decoded?.identityKey).toEqual(device.identity.publicKey)
    expect(decoded?.signingKey).toEqual(device.signing.publicKey)
  })

  it('rejects another account, any flipped bit, truncation and a bad version', () => {
    const account = generateAccountIdentity()
    const certificate = issueDeviceCertificate(account, generateDeviceKeys(1), T)
    expect(verifyDeviceCertificate(certificate.bytes, generateAccountIdentity().publicKey)).toEqual({ ok: false, reason: 'wrong-account' })
    for (let i = 0; i < certificate.bytes.length; i++) {
      const tampered = certificate.bytes.slice()
      tampered[i] = (tampered[i] as number) ^ 0x01
      const result = verifyDeviceCertificate(tampered)
      expect(result.ok, `bit flip at byte ${i}`).toBe(false)
    }
    expect(verifyDeviceCertificate(certificate.bytes.subarray(0, 100))).toEqual({ ok: false, reason: 'malformed' })
  })
})

describe('signed device lists (docs/protocol.md section 1.3)', () => {
  const account = generateAccountIdentity()
  const phone = issueDeviceCertificate(account, generateDeviceKeys(1), T)
  const laptop = issueDeviceCertificate(account, generateDeviceKeys(2), T)

  it('verifies a list and finds its certified devices', () => {
    const list = signDeviceList(account, 1, T, [phone, laptop])
    const result = verifyDeviceList(list.bytes, { accountKey: account.publicKey })
    if (!result.ok) throw new Error(result.reason)
    expect(result.list.devices.map((device) => device.deviceId)).toEqual([1, 2])
    expect(findCertifiedDevice(result.list, 2, laptop.identityKey)).toBeDefined()
    // Same device id, different identity key: not certified.
    expect(findCertifiedDevice(result.list, 2, phone.identityKey)).toBeUndefined()
    expect(findCertifiedDevice(result.list, 3, laptop.identityKey)).toBeUndefined()
  })

  it('accepts a newer version and refuses a rollback to an older one', () => {
    const v1 = signDeviceList(account, 1, T, [phone])
    const v2 = signDeviceList(account, 2, T + 1, [phone, laptop])
    expect(verifyDeviceList(v2.bytes, { accountKey: account.publicKey, known: { version: 1, bytes: v1.bytes } }).ok).toBe(true)
    expect(verifyDeviceList(v1.bytes, { accountKey: account.publicKey, known: { version: 2, bytes: v2.bytes } })).toEqual({ ok: false, reason: 'rollback' })
    expect(verifyDeviceList(v2.bytes, { accountKey: account.publicKey, known: { version: 2, bytes: v2.bytes } }).ok).toBe(true)
  })

  it('refuses a different list under an already seen version (equivocation)', () => {
    const a = signDeviceList(account, 5, T, [phone])
    const b = signDeviceList(account, 5, T, [phone, laptop])
    expect(verifyDeviceList(b.bytes, { accountKey: account.publicKey, known: { version: 5, bytes: a.bytes } })).toEqual({ ok: false, reason: 'equivocation' })
  })

  it('refuses a list containing a device certified by another account (uncertified device)', () => {
    const intruderAccount = generateAccountIdentity()
    const intruder = issueDeviceCertificate(intruderAccount, generateDeviceKeys(3), T)
    expect(() => signDeviceList(account, 3, T, [phone, intruder])).toThrow(RangeError)
    // Forge the list by hand: splice the foreign certificate into a correctly signed list's slot.
    const list = signDeviceList(account, 3, T, [phone, laptop])
    const forged = list.bytes.slice()
    forged.set(intruder.bytes, 2 + 33 + 8 + 8 + 2 + 177)
    expect(verifyDeviceList(forged, { accountKey: account.publicKey }).ok).toBe(false)
  })

  it('refuses a list whose certificate signature is broken even if the outer signature were valid', () => {
    // Build a certificate with a bad signature and sign the list over it with the real account key.
    const broken = { ...laptop, bytes: laptop.bytes.slice() }
    broken.bytes[broken.bytes.length - 1] = (broken.bytes[broken.bytes.length - 1] as number) ^ 0x01
    const list = signDeviceList(account, 4, T, [phone, broken])
    expect(verifyDeviceList(list.bytes, { accountKey: account.publicKey })).toEqual({ ok: false, reason: 'uncertified-device' })
  })

  it('refuses a wrong account, bad signature, truncation and duplicates', () => {
    const list = signDeviceList(account, 1, T, [phone, laptop])
    expect(verifyDeviceList(list.bytes, { accountKey: generateAccountIdentity().publicKey })).toEqual({ ok: false, reason: 'wrong-account' })
    const tampered = list.bytes.slice()
    tampered[40] = (tampered[40] as number) ^ 0x01
    expect(verifyDeviceList(tampered, { accountKey: account.publicKey })).toEqual({ ok: false, reason: 'bad-signature' })
    expect(verifyDeviceList(list.bytes.subarray(0, list.bytes.length - 1), { accountKey: account.publicKey })).toEqual({ ok: false, reason: 'malformed' })
    expect(() => signDeviceList(account, 1, T, [phone, phone])).toThrow(RangeError)
  })
})
