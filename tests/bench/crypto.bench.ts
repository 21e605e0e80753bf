/**
 * npm run bench:crypto — Tessera's ratchet vs @signalapp/libsignal-client on
 * the same workload (issue 3): session setup time, then 10,000 messages of
 * 100 bytes with the direction flipping every 10, each side's session state
 * deserialized before and serialized after every message (libsignal's stores
 * do exactly that with its SessionRecord). The last line is one JSON object.
 * The headline figures are total msgs/s and median setup; because the machine
 * is shared, it also prints the median of per-block-pair ratios and the
 * fastest setup of each (noise-robust views of the same runs).
 */
import { loadavg } from 'node:os'
import * as signal from '@signalapp/libsignal-client'
import { loadSodium } from '../../src/main/core/crypto/sodium'
import { generateAccountIdentity, generateDeviceKeys } from '../../src/main/core/crypto/identity/device-keys'
import { issueDeviceCertificate } from '../../src/main/core/crypto/identity/device-certificate'
import { createKemPreKey, createOneTimePreKeys, createSignedPreKey, KemPreKeyKind } from '../../src/main/core/crypto/prekeys/prekeys'
import { encodePreKeyBundle } from '../../src/main/core/crypto/prekeys/prekey-bundle'
import { LocalPreKeys } from '../../src/main/core/crypto/prekeys/local-prekeys'
import { signDeviceList, verifyDeviceList, type DeviceList } from '../../src/main/core/crypto/identity/device-list'
import { initiateSession } from '../../src/main/core/crypto/session/initiate-session'
import { acceptSession } from '../../src/main/core/crypto/session/accept-session'
import { SessionRecord } from '../../src/main/core/crypto/session/session-record'

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 10_000)
/** Both implementations run in alternating blocks so that machine-load swings hit both alike. */
const BLOCK = 1_000
const FLIP_EVERY = 10
const SETUPS = Number(process.env.BENCH_SETUPS ?? 60)
const SETUP_WARMUP = 10
/** A multiple of 2 * FLIP_EVERY, so the timed run starts on the same direction pattern. */
const WARMUP_MESSAGES = 1_000
const PAYLOAD = new Uint8Array(100).fill(0x61)

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}

// ---------------- Tessera ----------------
async function tesseraParty(deviceId: number) {
  const now = Date.now()
  const account = generateAccountIdentity()
  const keys = generateDeviceKeys(deviceId)
  const certificate = issueDeviceCertificate(account, keys, now)
  const preKeys = new LocalPreKeys()
  const signed = createSignedPreKey(keys, 1, now)
  preKeys.addSignedPreKey(signed)
  const oneTime = createOneTimePreKeys(1, SETUPS + SETUP_WARMUP + 2)
  for (const key of oneTime) preKeys.addOneTimePreKey(key)
  const kem = createKemPreKey(keys, 1, KemPreKeyKind.LastResort, now)
  preKeys.addKemPreKey(kem)
  // Contacts hold each other's verified device list (verified once per contact, outside the timing).
  const verified = verifyDeviceList(signDeviceList(account, 1, now, [certificate]).bytes, { accountKey: account.publicKey })
  if (!verified.ok) throw new Error(verified.reason)
  const deviceList: DeviceList = verified.list
  let next = 0
  const bundle = () =>
    encodePreKeyBundle({
      certificate: certificate.bytes,
      signedPreKey: signed.public.bytes,
      oneTimePreKey: (oneTime[next++] as (typeof oneTime)[number]).public.bytes,
      kemPreKey: kem.public.bytes
    })
  return { account, device: { keys, certificate }, preKeys, bundle, deviceList }
}

async function tesseraSetup(alice: Awaited<ReturnType<typeof tesseraParty>>, bob: Awaited<ReturnType<typeof tesseraParty>>) {
  const bundle = bob.bundle()
  const start = performance.now()
  const init = initiateSession({ local: alice.device, bundle, remoteAccountKey: bob.account.publicKey, remoteDeviceList: bob.deviceList })
  if (!init.ok) throw new Error(`initiate failed: ${init.reason}`)
  const first = init.record.encrypt(PAYLOAD)
  const accepted = acceptSession({
    local: bob.device,
    preKeys: bob.preKeys,
    message: first,
    expectedSender: { accountKey: alice.account.publicKey, deviceList: alice.deviceList }
  })
  if (!accepted.ok) throw new Error(`accept failed: ${accepted.reason}`)
  bob.preKeys.consume(accepted.consumed)
  const elapsed = performance.now() - start
  return { elapsed, alice: init.record.serialize(), bob: accepted.record.serialize() }
}

interface Contender {
  /** One measured session setup (ms); the last one's session carries the message run. */
  setupOnce(): Promise<number>
  /** Runs messages [from, to) of the workload; returns elapsed ms. */
  runBlock(from: number, to: number): Promise<number>
  stateBytes(): number
}

async function prepareTessera(): Promise<Contender> {
  await loadSodium()
  const alice = await tesseraParty(1)
  const bob = await tesseraParty(2)
  let stored: { alice: Uint8Array; bob: Uint8Array } = { alice: new Uint8Array(), bob: new Uint8Array() }
  return {
    async setupOnce() {
      const result = await tesseraSetup(alice, bob)
      stored = { alice: result.alice, bob: result.bob }
      return result.elapsed
    },
    async runBlock(from, to) {
      const start = performance.now()
      for (let i = from; i < to; i++) {
        const aliceSends = Math.floor(i / FLIP_EVERY) % 2 === 1
        const [sender, receiver] = aliceSends ? (['alice', 'bob'] as const) : (['bob', 'alice'] as const)
        const sending = SessionRecord.deserialize(stored[sender])
        const message = sending.encrypt(PAYLOAD)
        stored[sender] = sending.serialize()
        const receiving = SessionRecord.deserialize(stored[receiver])
        const result = receiving.decrypt(message)
        if (!result.ok) throw new Error(`tessera decrypt failed at ${i}: ${result.reason}`)
        stored[receiver] = receiving.serialize()
      }
      return performance.now() - start
    },
    stateBytes: () => stored.alice.length
  }
}

// ---------------- libsignal ----------------
class MemorySessionStore extends signal.SessionStore {
  private readonly records = new Map<string, Uint8Array<ArrayBuffer>>()
  async saveSession(name: signal.ProtocolAddress, record: signal.SessionRecord): Promise<void> {
    this.records.set(name.toString(), record.serialize())
  }
  async getSession(name: signal.ProtocolAddress): Promise<signal.SessionRecord | null> {
    const bytes = this.records.get(name.toString())
    return bytes ? signal.SessionRecord.deserialize(bytes) : null
  }
  async getExistingSessions(addresses: signal.ProtocolAddress[]): Promise<signal.SessionRecord[]> {
    return (await Promise.all(addresses.map((address) => this.getSession(address)))).filter((r): r is signal.SessionRecord => r !== null)
  }
  bytes(name: signal.ProtocolAddress): number {
    return this.records.get(name.toString())?.length ?? 0
  }
}

class MemoryIdentityStore extends signal.IdentityKeyStore {
  private readonly known = new Map<string, signal.PublicKey>()
  constructor(private readonly pair: signal.IdentityKeyPair, private readonly registrationId: number) {
    super()
  }
  async getIdentityKey(): Promise<signal.PrivateKey> {
    return this.pair.privateKey
  }
  async getLocalRegistrationId(): Promise<number> {
    return this.registrationId
  }
  async saveIdentity(name: signal.ProtocolAddress, key: signal.PublicKey): Promise<signal.IdentityChange> {
    const previous = this.known.get(name.toString())
    this.known.set(name.toString(), key)
    return previous && !previous.equals(key) ? signal.IdentityChange.ReplacedExisting : signal.IdentityChange.NewOrUnchanged
  }
  async isTrustedIdentity(): Promise<boolean> {
    return true
  }
  async getIdentity(name: signal.ProtocolAddress): Promise<signal.PublicKey | null> {
    return this.known.get(name.toString()) ?? null
  }
}

class MemoryPreKeyStore extends signal.PreKeyStore {
  readonly keys = new Map<number, Uint8Array<ArrayBuffer>>()
  async savePreKey(id: number, record: signal.PreKeyRecord): Promise<void> {
    this.keys.set(id, record.serialize())
  }
  async getPreKey(id: number): Promise<signal.PreKeyRecord> {
    const bytes = this.keys.get(id)
    if (!bytes) throw new Error('no prekey')
    return signal.PreKeyRecord.deserialize(bytes)
  }
  async removePreKey(id: number): Promise<void> {
    this.keys.delete(id)
  }
}

class MemorySignedPreKeyStore extends signal.SignedPreKeyStore {
  readonly keys = new Map<number, Uint8Array<ArrayBuffer>>()
  async saveSignedPreKey(id: number, record: signal.SignedPreKeyRecord): Promise<void> {
    this.keys.set(id, record.serialize())
  }
  async getSignedPreKey(id: number): Promise<signal.SignedPreKeyRecord> {
    return signal.SignedPreKeyRecord.deserialize(this.keys.get(id) as Uint8Array<ArrayBuffer>)
  }
}

class MemoryKyberPreKeyStore extends signal.KyberPreKeyStore {
  readonly keys = new Map<number, Uint8Array<ArrayBuffer>>()
  async saveKyberPreKey(id: number, record: signal.KyberPreKeyRecord): Promise<void> {
    this.keys.set(id, record.serialize())
  }
  async getKyberPreKey(id: number): Promise<signal.KyberPreKeyRecord> {
    return signal.KyberPreKeyRecord.deserialize(this.keys.get(id) as Uint8Array<ArrayBuffer>)
  }
  async markKyberPreKeyUsed(): Promise<void> {}
}

function signalParty(name: string, deviceId: number) {
  const identity = signal.IdentityKeyPair.generate()
  const registrationId = deviceId * 1000 + 1
  const address = signal.ProtocolAddress.new(name, deviceId)
  const sessions = new MemorySessionStore()
  const identities = new MemoryIdentityStore(identity, registrationId)
  const preKeys = new MemoryPreKeyStore()
  const signedPreKeys = new MemorySignedPreKeyStore()
  const kyberPreKeys = new MemoryKyberPreKeyStore()
  const signedPrivate = signal.PrivateKey.generate()
  const signedSignature = identity.privateKey.sign(signedPrivate.getPublicKey().serialize())
  void signedPreKeys.saveSignedPreKey(1, signal.SignedPreKeyRecord.new(1, Date.now(), signedPrivate.getPublicKey(), signedPrivate, signedSignature))
  const kyber = signal.KEMKeyPair.generate()
  const kyberSignature = identity.privateKey.sign(kyber.getPublicKey().serialize())
  void kyberPreKeys.saveKyberPreKey(1, signal.KyberPreKeyRecord.new(1, Date.now(), kyber, kyberSignature))
  let nextPreKey = 1
  const bundle = () => {
    const id = nextPreKey++
    const key = signal.PrivateKey.generate()
    void preKeys.savePreKey(id, signal.PreKeyRecord.new(id, key.getPublicKey(), key))
    return signal.PreKeyBundle.new(
      registrationId, deviceId, id, key.getPublicKey(), 1, signedPrivate.getPublicKey(), signedSignature,
      identity.publicKey, 1, kyber.getPublicKey(), kyberSignature
    )
  }
  return { address, sessions, identities, preKeys, signedPreKeys, kyberPreKeys, bundle }
}

async function prepareLibsignal(): Promise<Contender> {
  let alice = signalParty('alice', 1)
  let bob = signalParty('bob', 2)
  return {
    async setupOnce() {
      alice = signalParty('alice', 1)
      bob = signalParty('bob', 2)
      const bundle = bob.bundle()
      const start = performance.now()
      await signal.processPreKeyBundle(bundle, bob.address, alice.address, alice.sessions, alice.identities)
      const first = await signal.signalEncrypt(PAYLOAD, bob.address, alice.address, alice.sessions, alice.identities)
      const preKeyMessage = signal.PreKeySignalMessage.deserialize(first.serialize())
      await signal.signalDecryptPreKey(preKeyMessage, alice.address, bob.address, bob.sessions, bob.identities, bob.preKeys, bob.signedPreKeys, bob.kyberPreKeys)
      return performance.now() - start
    },
    async runBlock(from, to) {
      const start = performance.now()
      for (let i = from; i < to; i++) {
        const aliceSends = Math.floor(i / FLIP_EVERY) % 2 === 1
        const [sender, receiver] = aliceSends ? [alice, bob] : [bob, alice]
        const message = await signal.signalEncrypt(PAYLOAD, receiver.address, sender.address, sender.sessions, sender.identities)
        if (message.type() === signal.CiphertextMessageType.PreKey) {
          await signal.signalDecryptPreKey(
            signal.PreKeySignalMessage.deserialize(message.serialize()), sender.address, receiver.address,
            receiver.sessions, receiver.identities, receiver.preKeys, receiver.signedPreKeys, receiver.kyberPreKeys
          )
        } else {
          await signal.signalDecrypt(signal.SignalMessage.deserialize(message.serialize()), sender.address, receiver.address, receiver.sessions, receiver.identities)
        }
      }
      return performance.now() - start
    },
    stateBytes: () => alice.sessions.bytes(bob.address)
  }
}

async function main() {
  const tesseraRun = await prepareTessera()
  const libsignalRun = process.env.BENCH_ONLY === 'tessera' ? undefined : await prepareLibsignal()
  // Setups alternate too, one each per round, so that load swings hit both alike.
  const tesseraSetups: number[] = []
  const libsignalSetups: number[] = []
  // Warm-up, untimed and alike for both: Tessera's JS/wasm paths need the JIT, libsignal's native code does not.
  for (let i = 0; i < SETUP_WARMUP; i++) {
    await tesseraRun.setupOnce()
    if (libsignalRun) await libsignalRun.setupOnce()
  }
  for (let i = 0; i < SETUPS; i++) {
    tesseraSetups.push(await tesseraRun.setupOnce())
    if (libsignalRun) libsignalSetups.push(await libsignalRun.setupOnce())
  }
  let tesseraMs = 0
  let libsignalMs = 0
  /** libsignal time / Tessera time per pair of adjacent blocks: a load swing skews one pair, not the median. */
  const blockRatios: number[] = []
  // Untimed warm-up block on the same sessions, alike for both (the JIT again); the timed run follows on.
  await tesseraRun.runBlock(0, WARMUP_MESSAGES)
  if (libsignalRun) await libsignalRun.runBlock(0, WARMUP_MESSAGES)
  for (let from = WARMUP_MESSAGES; from < WARMUP_MESSAGES + MESSAGES; from += BLOCK) {
    const to = Math.min(WARMUP_MESSAGES + MESSAGES, from + BLOCK)
    const tesseraBlock = await tesseraRun.runBlock(from, to)
    tesseraMs += tesseraBlock
    if (libsignalRun) {
      const libsignalBlock = await libsignalRun.runBlock(from, to)
      libsignalMs += libsignalBlock
      blockRatios.push(libsignalBlock / tesseraBlock)
    }
  }
  const tessera = { setupMs: median(tesseraSetups), msgsPerSecond: MESSAGES / (tesseraMs / 1000), stateBytes: tesseraRun.stateBytes() }
  if (!libsignalRun) {
    console.log(JSON.stringify({ bench: 'crypto', tesseraMsgsPerSecond: Math.round(tessera.msgsPerSecond), tesseraSetupMs: tessera.setupMs }))
    return
  }
  const libsignal = { setupMs: median(libsignalSetups), msgsPerSecond: MESSAGES / (libsignalMs / 1000), stateBytes: libsignalRun.stateBytes() }
  const ratio = tessera.msgsPerSecond / libsignal.msgsPerSecond
  const setupRatio = libsignal.setupMs / tessera.setupMs
  const blockRatio = median(blockRatios)
  const setupMin = { tessera: Math.min(...tesseraSetups), libsignal: Math.min(...libsignalSetups) }
  console.log(`workload: ${MESSAGES} messages x ${PAYLOAD.length} B, direction flips every ${FLIP_EVERY}, state (de)serialized around every message, blocks of ${BLOCK} alternating between the two (after ${WARMUP_MESSAGES} untimed warm-up messages and ${SETUP_WARMUP} untimed setups each)`)
  console.log('setup: bundle processing + first message + acceptance; Tessera checks device certificates against each contact\'s verified device list')
  console.log(`tessera   : ${tessera.msgsPerSecond.toFixed(0)} msg/s, setup median ${tessera.setupMs.toFixed(2)} ms, state ${tessera.stateBytes} B`)
  console.log(`libsignal : ${libsignal.msgsPerSecond.toFixed(0)} msg/s, setup median ${libsignal.setupMs.toFixed(2)} ms, state ${libsignal.stateBytes} B`)
  console.log(`ratio     : ${ratio.toFixed(2)}x messages/s (target >= 3), setup ${setupRatio.toFixed(2)}x faster (target >= 1)`)
  console.log(
    `robust    : median per-block ratio ${blockRatio.toFixed(2)}x; fastest setup tessera ${setupMin.tessera.toFixed(2)} ms, libsignal ${setupMin.libsignal.toFixed(2)} ms (${(setupMin.libsignal / setupMin.tessera).toFixed(2)}x)`
  )
  const load = loadavg().map((value) => Number(value.toFixed(2)))
  console.log(`load avg  : ${load.join(' ')} (1/5/15 min, at the end; the machine is shared)`)
  console.log(
    JSON.stringify({
      bench: 'crypto',
      messages: MESSAGES,
      tesseraMsgsPerSecond: Math.round(tessera.msgsPerSecond),
      libsignalMsgsPerSecond: Math.round(libsignal.msgsPerSecond),
      ratio: Number(ratio.toFixed(3)),
      tesseraSetupMs: Number(tessera.setupMs.toFixed(3)),
      libsignalSetupMs: Number(libsignal.setupMs.toFixed(3)),
      setupSpeedup: Number(setupRatio.toFixed(3)),
      medianBlockRatio: Number(blockRatio.toFixed(3)),
      tesseraSetupMinMs: Number(setupMin.tessera.toFixed(3)),
      libsignalSetupMinMs: Number(setupMin.libsignal.toFixed(3)),
      loadAverage1m: load[0],
      meetsTargets: ratio >= 3 && setupRatio >= 1
    })
  )
}

await main()
