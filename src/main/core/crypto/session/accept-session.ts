import { equalBytes, randomBytes, wipe } from '../primitives/bytes'
import { x25519, x25519PublicKey } from '../primitives/x25519'
import { xwingDecapsulate } from '../primitives/xwing'
import { decodeDeviceCertificate, verifyDeviceCertificate, type DeviceCertificate } from '../identity/device-certificate'
import { findCertifiedDevice, type DeviceList } from '../identity/device-list'
import { KemPreKeyKind } from '../prekeys/prekeys'
import type { ConsumedPreKeys, PreKeySecrets } from '../prekeys/local-prekeys'
import { ratchetDecrypt, type RatchetFailure } from '../ratchet/ratchet-decrypt'
import { wipeDropped, type SessionState } from '../ratchet/session-state'
import { decodeInitialMessage } from './initial-message'
import type { LocalDevice } from './initiate-session'
import { derivePqxdhSecrets, sessionAssociatedData } from './pqxdh'
import { SessionRecord, type SessionOptions } from './session-record'

export interface AcceptParams extends SessionOptions {
  readonly local: LocalDevice
  readonly preKeys: PreKeySecrets
  readonly message: Uint8Array
  /** Associated data the sender passed to encrypt(). */
  readonly associatedData?: Uint8Array
  /** The record for the sender's device, if one exists (replays are detected against it). */
  readonly record?: SessionRecord
  /** When known: the sender's account key and verified device list; the sender device must be in it. */
  readonly expectedSender?: { readonly accountKey: Uint8Array; readonly deviceList?: DeviceList }
}

export type AcceptFailure = RatchetFailure | 'uncertified-device' | 'unknown-prekey' | 'needs-acceptance' | 'no-session'

export type AcceptResult =
  | {
      ok: true
      record: SessionRecord
      plaintext: Uint8Array
      senderCertificate: DeviceCertificate
      /** Prekeys to delete now (one-time X25519 and one-time KEM prekeys). */
      consumed: ConsumedPreKeys
    }
  | { ok: false; reason: AcceptFailure }

const EMPTY = new Uint8Array(0)

/**
 * Bob's side of PQXDH (spec section 3.4), docs/protocol.md section 3.4, then
 * RatchetInitBobHE and the first decrypt. Nothing is consumed unless the
 * first message decrypts. An initial message whose base key matches a
 * session of `record` is decrypted by that session instead (so a replayed
 * initial message is a duplicate, never a second session).
 */
export function acceptSession(params: AcceptParams): AcceptResult {
  const initial = decodeInitialMessage(params.message)
  if (!initial) return { ok: false, reason: 'malformed' }
  const sender = certifySender(initial.senderCertificate, params.expectedSender)
  if (!sender.ok) return sender
  const associatedData = params.associatedData ?? EMPTY
  if (params.record && params.record.findByBaseKey(initial.baseKey) !== undefined) {
    const replay = params.record.decrypt(params.message, associatedData)
    if (!replay.ok) return replay
    return { ok: true, record: params.record, plaintext: replay.plaintext, senderCertificate: sender.certificate, consumed: {} }
  }

  const signedSecret = params.preKeys.signedPreKeySecret(initial.signedPreKeyId)
  const oneTimeSecret = initial.oneTimePreKeyId === undefined ? undefined : params.preKeys.oneTimePreKeySecret(initial.oneTimePreKeyId)
  const kemEntry = params.preKeys.kemPreKeySecret(initial.kemPreKeyId)
  if (!signedSecret || !kemEntry || (initial.oneTimePreKeyId !== undefined && !oneTimeSecret)) return { ok: false, reason: 'unknown-prekey' }

  const identity = params.local.keys.identity
  const storedPublic = params.preKeys.signedPreKeyPublic?.(initial.signedPreKeyId)
  const signedPublic = storedPublic ? storedPublic.slice() : x25519PublicKey(signedSecret)
  const dh1 = x25519(signedSecret, sender.certificate.identityKey)
  const dh2 = x25519(identity.secretKey, initial.baseKey)
  const dh3 = x25519(signedSecret, initial.baseKey)
  const dh4 = oneTimeSecret ? x25519(oneTimeSecret, initial.baseKey) : undefined
  if (!dh1 || !dh2 || !dh3 || dh4 === null) {
    wipe(dh1, dh2, dh3, dh4)
    return { ok: false, reason: 'invalid-key' }
  }
  const kemSecret = xwingDecapsulate(initial.kemCiphertext, kemEntry.secretKey)
  const secrets = derivePqxdhSecrets(dh4 ? [dh1, dh2, dh3, dh4] : [dh1, dh2, dh3], kemSecret)
  wipe(dh1, dh2, dh3, dh4, kemSecret)

  // RatchetInitBobHE: our ratchet key pair is the signed prekey (copied: the prekey store keeps its own).
  const now = (params.now ?? Date.now)()
  const state: SessionState = {
    associatedData: sessionAssociatedData(sender.certificate, params.local.certificate),
    baseKey: initial.baseKey,
    isInitiator: false,
    remoteCertificate: sender.certificate.bytes.slice(),
    rootKey: secrets.rootKey,
    sendRatchet: { secretKey: signedSecret.slice(), publicKey: signedPublic },
    remoteRatchetKey: undefined,
    sendChainKey: undefined,
    sendHeaderKey: undefined,
    nextSendHeaderKey: secrets.responderNextHeaderKey,
    sendIndex: 0,
    previousSendCount: 0,
    nextReceiveHeaderKey: secrets.initiatorHeaderKey,
    receiverChains: [],
    skippedKeys: [],
    pendingInitial: undefined,
    pq: { ownOffer: undefined, nextOfferId: 1, peerOffer: undefined, lastAnsweredPeerOfferId: 0, sendAnswer: undefined, messagesSinceStep: 0, lastStepAt: now }
  }
  const result = ratchetDecrypt(state, initial.ratchetMessage, associatedData, { now, random: params.random ?? randomBytes })
  wipeDropped(state, result.ok ? result.state : undefined)
  if (!result.ok) return result
  const record = params.record ?? new SessionRecord(params)
  record.installSession(result.state)
  const consumed: ConsumedPreKeys = {
    ...(initial.oneTimePreKeyId !== undefined ? { oneTimePreKeyId: initial.oneTimePreKeyId } : {}),
    ...(kemEntry.kind === KemPreKeyKind.OneTime ? { oneTimeKemPreKeyId: initial.kemPreKeyId } : {})
  }
  return { ok: true, record, plaintext: result.plaintext, senderCertificate: sender.certificate, consumed }
}

/**
 * The sender's certificate: byte-identical to its entry in the expected
 * sender's verified device list (signature already checked there), or
 * verified on its own (under the expected account when one is given).
 */
function certifySender(
  bytes: Uint8Array,
  expected: AcceptParams['expectedSender']
): { ok: true; certificate: DeviceCertificate } | { ok: false; reason: 'malformed' | 'uncertified-device' } {
  if (expected?.deviceList) {
    const decoded = decodeDeviceCertificate(bytes)
    if (!decoded) return { ok: false, reason: 'malformed' }
    const listed = equalBytes(expected.deviceList.accountKey, expected.accountKey)
      ? findCertifiedDevice(expected.deviceList, decoded.deviceId, decoded.identityKey)
      : undefined
    return listed && equalBytes(listed.bytes, bytes) ? { ok: true, certificate: listed } : { ok: false, reason: 'uncertified-device' }
  }
  const verified = verifyDeviceCertificate(bytes, expected?.accountKey)
  if (verified.ok) return verified
  return { ok: false, reason: verified.reason === 'malformed' ? 'malformed' : 'uncertified-device' }
}

/** True when two certificates describe the same device keys (helper for callers comparing senders). */
export function sameDevice(a: DeviceCertificate, b: DeviceCertificate): boolean {
  return equalBytes(a.bytes, b.bytes)
}
