import { randomBytes, wipe, type RandomSource } from '../primitives/bytes'
import { generateX25519KeyPair, x25519 } from '../primitives/x25519'
import { xwingEncapsulate } from '../primitives/xwing'
import type { DeviceCertificate } from '../identity/device-certificate'
import type { DeviceKeys } from '../identity/device-keys'
import type { DeviceList } from '../identity/device-list'
import { verifyPreKeyBundle, type BundleFailure } from '../prekeys/prekey-bundle'
import { kdfRoot } from '../ratchet/kdf'
import type { SessionState } from '../ratchet/session-state'
import { derivePqxdhSecrets, sessionAssociatedData } from './pqxdh'
import { SessionRecord, type SessionOptions } from './session-record'

/** This device: its keys and the certificate its account issued for them. */
export interface LocalDevice {
  readonly keys: DeviceKeys
  readonly certificate: DeviceCertificate
}

export interface InitiateParams extends SessionOptions {
  readonly local: LocalDevice
  /** Bundle bytes as served by the relay (section 2.2). */
  readonly bundle: Uint8Array
  /** The peer account's identity key, and optionally its verified device list. */
  readonly remoteAccountKey: Uint8Array
  readonly remoteDeviceList?: DeviceList
  /** Add the session to this record (archiving its current session) instead of a new one. */
  readonly record?: SessionRecord
}

export type InitiateResult = { ok: true; record: SessionRecord } | { ok: false; reason: BundleFailure | 'invalid-key' }

/**
 * Alice's side of PQXDH (spec section 3.3), docs/protocol.md section 3.2.
 * The bundle is verified completely before any key is generated or any
 * encapsulation made; a bad signature aborts with nothing drawn from `random`.
 * Then RatchetInitAliceHE (Double Ratchet spec section 4).
 */
export function initiateSession(params: InitiateParams): InitiateResult {
  const verified = verifyPreKeyBundle(params.bundle, {
    accountKey: params.remoteAccountKey,
    ...(params.remoteDeviceList ? { deviceList: params.remoteDeviceList } : {})
  })
  if (!verified.ok) return verified
  const bundle = verified.bundle
  const random: RandomSource = params.random ?? randomBytes
  const now = (params.now ?? Date.now)()

  const ephemeral = generateX25519KeyPair(random)
  const dh1 = x25519(params.local.keys.identity.secretKey, bundle.signedPreKey.publicKey)
  const dh2 = x25519(ephemeral.secretKey, bundle.certificate.identityKey)
  const dh3 = x25519(ephemeral.secretKey, bundle.signedPreKey.publicKey)
  const dh4 = bundle.oneTimePreKey ? x25519(ephemeral.secretKey, bundle.oneTimePreKey.publicKey) : undefined
  if (!dh1 || !dh2 || !dh3 || dh4 === null) {
    wipe(ephemeral.secretKey, dh1, dh2, dh3, dh4)
    return { ok: false, reason: 'invalid-key' }
  }
  const kem = xwingEncapsulate(bundle.kemPreKey.publicKey, random)
  const secrets = derivePqxdhSecrets(dh4 ? [dh1, dh2, dh3, dh4] : [dh1, dh2, dh3], kem.sharedSecret)
  wipe(ephemeral.secretKey, dh1, dh2, dh3, dh4, kem.sharedSecret)

  // RatchetInitAliceHE: a fresh ratchet key against Bob's signed prekey.
  const sendRatchet = generateX25519KeyPair(random)
  const dh = x25519(sendRatchet.secretKey, bundle.signedPreKey.publicKey)
  if (!dh) return { ok: false, reason: 'invalid-key' }
  const first = kdfRoot(secrets.rootKey, dh, undefined)
  wipe(dh, secrets.rootKey)
  const state: SessionState = {
    associatedData: sessionAssociatedData(params.local.certificate, bundle.certificate),
    baseKey: ephemeral.publicKey,
    isInitiator: true,
    remoteCertificate: bundle.certificate.bytes.slice(),
    rootKey: first.rootKey,
    sendRatchet,
    remoteRatchetKey: bundle.signedPreKey.publicKey,
    sendChainKey: first.chainKey,
    sendHeaderKey: secrets.initiatorHeaderKey,
    nextSendHeaderKey: first.nextHeaderKey,
    sendIndex: 0,
    previousSendCount: 0,
    nextReceiveHeaderKey: secrets.responderNextHeaderKey,
    receiverChains: [],
    skippedKeys: [],
    pendingInitial: {
      senderCertificate: params.local.certificate.bytes.slice(),
      signedPreKeyId: bundle.signedPreKey.keyId,
      oneTimePreKeyId: bundle.oneTimePreKey?.keyId,
      kemPreKeyId: bundle.kemPreKey.keyId,
      baseKey: ephemeral.publicKey,
      kemCiphertext: kem.ciphertext
    },
    pq: { ownOffer: undefined, nextOfferId: 1, peerOffer: undefined, lastAnsweredPeerOfferId: 0, sendAnswer: undefined, messagesSinceStep: 0, lastStepAt: now }
  }
  const record = params.record ?? new SessionRecord(params)
  record.installSession(state)
  return { ok: true, record }
}
