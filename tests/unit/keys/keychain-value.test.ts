import { describe, expect, it } from 'vitest'
import { decodeKeychainValue, encodeKeychainValue } from '../../../src/main/core/keys/keychain-value'

describe('keychain value', () => {
  it('round-trips one key and the two keys of a rotation, newest first', () => {
    const a = new Uint8Array(32).fill(1)
    const b = new Uint8Array(32).fill(2)
    expect(decodeKeychainValue(encodeKeychainValue([a]))).toEqual([a])
    expect(decodeKeychainValue(encodeKeychainValue([b, a]))).toEqual([b, a])
  })

  it('yields no key for entries that are not ours or have the wrong key length', () => {
    expect(decodeKeychainValue('hunter2')).toEqual([])
    expect(decodeKeychainValue(`tessera-db-key-v1:${Buffer.alloc(16).toString('base64')}`)).toEqual([])
    expect(decodeKeychainValue('tessera-db-key-v1:')).toEqual([])
  })
})
