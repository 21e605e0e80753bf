import { ByteReader, ByteWriter, DecodeError } from '../primitives/byte-io'
import { assertBytes, fromHex, toHex } from '../primitives/bytes'
import { ED25519_PUBLIC_KEY_BYTES } from '../primitives/ed25519'
import { PROTOCOL_VERSION } from '../primitives/encoding'
import { InvalidSessionStateError, SessionRecord, type SessionOptions } from '../session/session-record'

/**
 * Sesame's per-device session records (signal.org/docs/specifications/sesame
 * section 2, "UserRecord" / "DeviceRecord"), docs/protocol.md section 6.1:
 * for every remote account (keyed by its Ed25519 account key) one
 * SessionRecord per device id; each SessionRecord holds the active session
 * and the inactive (archived) ones.
 *
 * Serialized: 0x01 || 0x55 || u16 accounts || per account: accountKey (32)
 *   || u16 devices || per device: u32 deviceId || u32 len || SessionRecord bytes (section 4.8)
 */

export const SESSION_STORE_TYPE = 0x55
const MAX_ACCOUNTS = 65_535
const MAX_RECORD_BYTES = 16 * 1024 * 1024

export interface DeviceAddress {
  readonly accountKey: Uint8Array
  readonly deviceId: number
}

export class SesameStore {
  private readonly accounts = new Map<string, Map<number, SessionRecord>>()

  constructor(private readonly options: SessionOptions = {}) {}

  get sessionOptions(): SessionOptions {
    return this.options
  }

  get(address: DeviceAddress): SessionRecord | undefined {
    return this.accounts.get(toHex(address.accountKey))?.get(address.deviceId)
  }

  set(address: DeviceAddress, record: SessionRecord): void {
    assertBytes(address.accountKey, ED25519_PUBLIC_KEY_BYTES, 'accountKey')
    const key = toHex(address.accountKey)
    let devices = this.accounts.get(key)
    if (!devices) {
      devices = new Map()
      this.accounts.set(key, devices)
    }
    devices.set(address.deviceId, record)
  }

  /** Sesame "delete the DeviceRecord": the device left the account's list. */
  delete(address: DeviceAddress): void {
    const key = toHex(address.accountKey)
    const devices = this.accounts.get(key)
    devices?.delete(address.deviceId)
    if (devices?.size === 0) this.accounts.delete(key)
  }

  /** Device ids with a record for this account, ascending. */
  deviceIds(accountKey: Uint8Array): number[] {
    return [...(this.accounts.get(toHex(accountKey))?.keys() ?? [])].sort((a, b) => a - b)
  }

  serialize(): Uint8Array {
    const writer = new ByteWriter(4096).u8(PROTOCOL_VERSION).u8(SESSION_STORE_TYPE).u16(this.accounts.size)
    for (const [accountHex, devices] of this.accounts) {
      writer.bytes(fromHex(accountHex)).u16(devices.size)
      for (const [deviceId, record] of devices) writer.u32(deviceId).varBytes(record.serialize())
    }
    return writer.finish(true)
  }

  /** Restores a store; null when the bytes (or any record in them) are invalid. */
  static deserialize(bytes: Uint8Array, options: SessionOptions = {}): SesameStore | null {
    const store = new SesameStore(options)
    try {
      const reader = new ByteReader(bytes)
      if (reader.u8() !== PROTOCOL_VERSION || reader.u8() !== SESSION_STORE_TYPE) return null
      const accountCount = reader.u16()
      if (accountCount > MAX_ACCOUNTS) return null
      for (let i = 0; i < accountCount; i++) {
        const accountKey = reader.bytes(ED25519_PUBLIC_KEY_BYTES)
        const deviceCount = reader.u16()
        for (let j = 0; j < deviceCount; j++) {
          const deviceId = reader.u32()
          if (store.get({ accountKey, deviceId })) return null
          store.set({ accountKey, deviceId }, SessionRecord.deserialize(reader.varBytes(MAX_RECORD_BYTES), options))
        }
      }
      reader.end()
      return store
    } catch (error) {
      if (error instanceof DecodeError || error instanceof InvalidSessionStateError) return null
      throw error
    }
  }
}

/** A copy of a record (its serialization round-trip), so multi-device operations can commit all-or-nothing. */
export function cloneRecord(record: SessionRecord, options: SessionOptions): SessionRecord {
  return SessionRecord.deserialize(record.serialize(), options)
}
