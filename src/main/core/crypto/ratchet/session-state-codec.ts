import { DecodeError, type ByteReader, type ByteWriter } from '../primitives/byte-io'
import { PROTOCOL_VERSION, StructureType } from '../primitives/encoding'
import { XWING_CIPHERTEXT_BYTES, XWING_PUBLIC_KEY_BYTES, XWING_SECRET_KEY_BYTES } from '../primitives/xwing'
import { MAX_RECEIVER_CHAINS, MAX_SKIPPED_KEYS } from './limits'
import type { PendingInitial, PqState, ReceiverChain, SessionState, SkippedKey } from './session-state'

/** Thrown when stored session bytes are not a valid state (corrupted storage, wrong version). */
export class InvalidSessionStateError extends Error {
  override readonly name = 'InvalidSessionStateError'
}

const MAX_AD_BYTES = 1024
const MAX_CERTIFICATE_BYTES = 1024

function optional<T>(writer: ByteWriter, value: T | undefined, write: (value: T) => void): void {
  writer.u8(value === undefined ? 0 : 1)
  if (value !== undefined) write(value)
}

/**
 * Session state serialization, docs/protocol.md section 4.8 (field order
 * below is the normative layout). Deterministic: the same state always gives
 * the same bytes, which is how tests check that a failed decrypt left the
 * state byte-identical.
 */
export function writeSessionState(writer: ByteWriter, s: SessionState): void {
  writer.u8(PROTOCOL_VERSION).u8(StructureType.SessionState)
  writer.varBytes(s.associatedData).bytes(s.baseKey).u8(s.isInitiator ? 1 : 0).varBytes(s.remoteCertificate)
  writer.bytes(s.rootKey).bytes(s.sendRatchet.secretKey).bytes(s.sendRatchet.publicKey)
  optional(writer, s.remoteRatchetKey, (v) => writer.bytes(v))
  optional(writer, s.sendChainKey, (v) => writer.bytes(v))
  optional(writer, s.sendHeaderKey, (v) => writer.bytes(v))
  writer.bytes(s.nextSendHeaderKey).u32(s.sendIndex).u32(s.previousSendCount).bytes(s.nextReceiveHeaderKey)
  writer.u8(s.receiverChains.length)
  for (const c of s.receiverChains) writer.bytes(c.ratchetKey).bytes(c.headerKey).bytes(c.chainKey).u32(c.nextIndex)
  writer.u16(s.skippedKeys.length)
  for (const k of s.skippedKeys) writer.bytes(k.headerKey).u32(k.index).bytes(k.messageKey).u64(k.storedAt)
  optional(writer, s.pendingInitial, (p) => {
    writer.varBytes(p.senderCertificate).u32(p.signedPreKeyId)
    optional(writer, p.oneTimePreKeyId, (id) => writer.u32(id))
    writer.u32(p.kemPreKeyId).bytes(p.baseKey).bytes(p.kemCiphertext)
  })
  const pq = s.pq
  optional(writer, pq.ownOffer, (o) => writer.u32(o.id).bytes(o.secretKey).bytes(o.publicKey))
  writer.u32(pq.nextOfferId)
  optional(writer, pq.peerOffer, (o) => writer.u32(o.id).bytes(o.publicKey))
  writer.u32(pq.lastAnsweredPeerOfferId)
  optional(writer, pq.sendAnswer, (a) => writer.u32(a.id).bytes(a.ciphertext))
  writer.u32(pq.messagesSinceStep).u64(pq.lastStepAt)
}

function readOptional<T>(reader: ByteReader, read: () => T): T | undefined {
  const flag = reader.u8()
  if (flag > 1) throw new DecodeError('bad presence flag')
  return flag === 1 ? read() : undefined
}

export function readSessionState(reader: ByteReader): SessionState {
  if (reader.u8() !== PROTOCOL_VERSION || reader.u8() !== StructureType.SessionState) throw new DecodeError('not a v1 session state')
  const associatedData = reader.varBytes(MAX_AD_BYTES)
  const baseKey = reader.bytes(32)
  const initiatorFlag = reader.u8()
  if (initiatorFlag > 1) throw new DecodeError('bad role flag')
  const remoteCertificate = reader.varBytes(MAX_CERTIFICATE_BYTES)
  const rootKey = reader.bytes(32)
  const sendRatchet = { secretKey: reader.bytes(32), publicKey: reader.bytes(32) }
  const remoteRatchetKey = readOptional(reader, () => reader.bytes(32))
  const sendChainKey = readOptional(reader, () => reader.bytes(32))
  const sendHeaderKey = readOptional(reader, () => reader.bytes(32))
  const nextSendHeaderKey = reader.bytes(32)
  const sendIndex = reader.u32()
  const previousSendCount = reader.u32()
  const nextReceiveHeaderKey = reader.bytes(32)
  const chainCount = reader.u8()
  if (chainCount > MAX_RECEIVER_CHAINS) throw new DecodeError('too many receiver chains')
  const receiverChains: ReceiverChain[] = []
  for (let i = 0; i < chainCount; i++) {
    receiverChains.push({ ratchetKey: reader.bytes(32), headerKey: reader.bytes(32), chainKey: reader.bytes(32), nextIndex: reader.u32() })
  }
  const skippedCount = reader.u16()
  if (skippedCount > MAX_SKIPPED_KEYS) throw new DecodeError('too many skipped keys')
  const skippedKeys: SkippedKey[] = []
  for (let i = 0; i < skippedCount; i++) {
    skippedKeys.push({ headerKey: reader.bytes(32), index: reader.u32(), messageKey: reader.bytes(32), storedAt: reader.u64() })
  }
  const pendingInitial = readOptional(reader, (): PendingInitial => ({
    senderCertificate: reader.varBytes(MAX_CERTIFICATE_BYTES),
    signedPreKeyId: reader.u32(),
    oneTimePreKeyId: readOptional(reader, () => reader.u32()),
    kemPreKeyId: reader.u32(),
    baseKey: reader.bytes(32),
    kemCiphertext: reader.bytes(XWING_CIPHERTEXT_BYTES)
  }))
  const pq: PqState = {
    ownOffer: readOptional(reader, () => ({ id: reader.u32(), secretKey: reader.bytes(XWING_SECRET_KEY_BYTES), publicKey: reader.bytes(XWING_PUBLIC_KEY_BYTES) })),
    nextOfferId: reader.u32(),
    peerOffer: readOptional(reader, () => ({ id: reader.u32(), publicKey: reader.bytes(XWING_PUBLIC_KEY_BYTES) })),
    lastAnsweredPeerOfferId: reader.u32(),
    sendAnswer: readOptional(reader, () => ({ id: reader.u32(), ciphertext: reader.bytes(XWING_CIPHERTEXT_BYTES) })),
    messagesSinceStep: reader.u32(),
    lastStepAt: reader.u64()
  }
  return {
    associatedData,
    baseKey,
    isInitiator: initiatorFlag === 1,
    remoteCertificate,
    rootKey,
    sendRatchet,
    remoteRatchetKey,
    sendChainKey,
    sendHeaderKey,
    nextSendHeaderKey,
    sendIndex,
    previousSendCount,
    nextReceiveHeaderKey,
    receiverChains,
    skippedKeys,
    pendingInitial,
    pq
  }
}
