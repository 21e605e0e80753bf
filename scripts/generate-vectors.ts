/**
 * Tessera's own known-answer vectors (docs/protocol.md section 11).
 * `npm run vectors` writes docs/vectors/*.json from fixed seeds;
 * tests/unit/crypto/vectors.test.ts regenerates them (identical bytes) and
 * replays every recorded ciphertext from the files alone.
 *
 * Randomness: every party draws from its own seeded stream,
 *   block_i = BLAKE2b-512(key = seed, message = u64be(i)),  i = 0, 1, 2, ...
 * concatenated and consumed front to back across calls, where
 *   seed = BLAKE2b-256(message = "Tessera v1 KAT seed " || label)
 * so another implementation reproduces every key and nonce by asking its
 * own code for the same draws in the same order (recorded per file).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { loadSodium } from '../src/main/core/crypto/sodium'
import { sodium, toHex, type RandomSource } from '../src/main/core/crypto/primitives'
import { ed25519KeyPairFromSeed } from '../src/main/core/crypto/primitives/ed25519'
import { generateAccountIdentity, generateDeviceKeys, issueDeviceCertificate, type DeviceKeys } from '../src/main/core/crypto/identity'
import { KemPreKeyKind, LocalPreKeys, createKemPreKey, createOneTimePreKeys, createSignedPreKey, encodePreKeyBundle } from '../src/main/core/crypto/prekeys'
import { acceptSession, initiateSession, type LocalDevice, type SessionRecord } from '../src/main/core/crypto/session'
import { computeSafetyNumber } from '../src/main/core/crypto/safety-numbers/safety-number'
import { SIGNAL_FINGERPRINT_ITERATIONS, iteratedFingerprintHash, thirtyDigits } from '../src/main/core/crypto/safety-numbers/numeric-fingerprint'
import { sealEnvelope } from '../src/main/core/crypto/sealed-sender/envelope'
import { deliveryTokenVerifier, deriveDeliveryToken } from '../src/main/core/crypto/sealed-sender/delivery-token'
import { SenderKeyRecord } from '../src/main/core/crypto/sender-keys/record'
import { computeFrankingCommitment, type FrankingContext } from '../src/main/core/crypto/franking/commitment'
import { frankMessage } from '../src/main/core/crypto/franking/frank'
import { stampCommitment } from '../src/main/core/crypto/franking/stamp'
import { encryptAttachment } from '../src/main/core/crypto/franking/attachment'
import { encodeReport } from '../src/main/core/crypto/franking/report'

export const VECTOR_FORMAT = 'tessera-kat-v1'
export const START_MS = 1_700_000_000_000
const DAY_MS = 86_400_000
const encoder = new TextEncoder()

export function seedFor(label: string): Uint8Array {
  return sodium().crypto_generichash(32, encoder.encode(`Tessera v1 KAT seed ${label}`), null)
}

/** The seeded stream described above. */
export function seededRandom(seed: Uint8Array): RandomSource {
  let counter = 0
  let buffer = new Uint8Array(0)
  return (length: number) => {
    while (buffer.length < length) {
      const block = new Uint8Array(8)
      new DataView(block.buffer).setBigUint64(0, BigInt(counter++), false)
      const next = new Uint8Array(buffer.length + 64)
      next.set(buffer)
      next.set(sodium().crypto_generichash(64, block, seed), buffer.length)
      buffer = next
    }
    const out = buffer.slice(0, length)
    buffer = buffer.slice(length)
    return out
  }
}

type Json = Record<string, unknown>
const hex = toHex

function header(name: string, spec: string, description: string): Json {
  return { format: VECTOR_FORMAT, name, spec, description, randomStream: 'BLAKE2b-512(key = seed, u64be(i)) blocks; seed = BLAKE2b-256("Tessera v1 KAT seed " || label)' }
}

// ---------------------------------------------------------------- session (sections 3-5)

export interface SessionParty {
  readonly local: LocalDevice
  readonly preKeys: LocalPreKeys
  readonly bundle: Uint8Array
  readonly accountKey: Uint8Array
}

/** Keys of one party, drawn in this order from its key stream: account, device, signed prekey, one-time prekey, KEM prekey. */
export function sessionParty(label: string, deviceId: number): SessionParty {
  const random = seededRandom(seedFor(`${label} keys`))
  const account = generateAccountIdentity(random)
  const keys: DeviceKeys = generateDeviceKeys(deviceId, random)
  const certificate = issueDeviceCertificate(account, keys, START_MS)
  const signed = createSignedPreKey(keys, 1, START_MS, random)
  const [oneTime] = createOneTimePreKeys(100, 1, random)
  const kem = createKemPreKey(keys, 1, KemPreKeyKind.LastResort, START_MS, random)
  const preKeys = new LocalPreKeys()
  preKeys.addSignedPreKey(signed)
  if (oneTime) preKeys.addOneTimePreKey(oneTime)
  preKeys.addKemPreKey(kem)
  const bundle = encodePreKeyBundle({
    certificate: certificate.bytes,
    signedPreKey: signed.public.bytes,
    ...(oneTime ? { oneTimePreKey: oneTime.public.bytes } : {}),
    kemPreKey: kem.public.bytes
  })
  return { local: { keys, certificate }, preKeys, bundle, accountKey: account.publicKey }
}

/** The conversation: who sends, and the clock (ms after START_MS) at that step. Day jumps trigger the PQ step (section 5). */
export const SESSION_SCRIPT: readonly { from: 'alice' | 'bob'; atMs: number; text: string }[] = [
  { from: 'alice', atMs: 0, text: 'initial message 1' },
  { from: 'alice', atMs: 1, text: 'initial message 2' },
  { from: 'bob', atMs: 2, text: 'first reply: a DH ratchet step' },
  { from: 'alice', atMs: 3, text: 'second DH ratchet step' },
  { from: 'bob', atMs: DAY_MS + 10, text: 'a day later: carries an X-Wing offer' },
  { from: 'alice', atMs: DAY_MS + 11, text: 'answers the offer in a new chain' },
  { from: 'bob', atMs: DAY_MS + 12, text: 'ratchets onto the PQ-mixed root' },
  { from: 'alice', atMs: DAY_MS + 13, text: 'after the PQ step' }
]

/** Length of the encrypted header (prefix: 0x01 0x30 nonce(24) u16 len); initial messages wrap the ratchet message. */
function encryptedHeaderLength(message: Uint8Array): number {
  const offset = message[1] === 0x31 ? findRatchetMessage(message) : 0
  return new DataView(message.buffer, message.byteOffset).getUint16(offset + 26, false)
}

function findRatchetMessage(initial: Uint8Array): number {
  // 2 + certificate(177) + u32 + u8 hasOneTime [+ u32] + u32 + Enc(X25519)(33) + X-Wing ct(1120) + u32 len
  const hasOneTime = initial[2 + 177 + 4] === 1
  return 2 + 177 + 4 + 1 + (hasOneTime ? 4 : 0) + 4 + 33 + 1120 + 4
}

export function buildSessionVector(): Json {
  const alice = sessionParty('session alice', 1)
  const bob = sessionParty('session bob', 2)
  let now = START_MS
  const clock = (): number => now
  const aliceOptions = { random: seededRandom(seedFor('session alice ratchet')), now: clock }
  const bobOptions = { random: seededRandom(seedFor('session bob ratchet')), now: clock }
  const started = initiateSession({ ...aliceOptions, local: alice.local, bundle: bob.bundle, remoteAccountKey: bob.accountKey })
  if (!started.ok) throw new Error(`vector session setup failed: ${started.reason}`)
  const aliceRecord = started.record
  let bobRecord: SessionRecord | undefined
  const transcript = SESSION_SCRIPT.map((step) => {
    now = START_MS + step.atMs
    const plaintext = encoder.encode(step.text)
    if (step.from === 'alice') {
      const message = aliceRecord.encrypt(plaintext)
      if (!bobRecord) {
        const accepted = acceptSession({ ...bobOptions, local: bob.local, preKeys: bob.preKeys, message })
        if (!accepted.ok) throw new Error(`vector acceptance failed: ${accepted.reason}`)
        bobRecord = accepted.record
      } else if (!bobRecord.decrypt(message).ok) throw new Error('vector decrypt failed')
      return { from: step.from, nowMs: now, plaintext: step.text, message: hex(message), encryptedHeaderBytes: encryptedHeaderLength(message) }
    }
    if (!bobRecord) throw new Error('bob has no session')
    const message = bobRecord.encrypt(plaintext)
    if (!aliceRecord.decrypt(message).ok) throw new Error('vector decrypt failed')
    return { from: step.from, nowMs: now, plaintext: step.text, message: hex(message), encryptedHeaderBytes: encryptedHeaderLength(message) }
  })
  return {
    ...header('session', 'docs/protocol.md sections 3 (PQXDH), 4 (Double Ratchet with header encryption), 5 (sparse PQ step)', 'Alice initiates with Bob\'s bundle; the transcript alternates as listed; encryptedHeaderBytes over 1,200 shows a KEM offer or answer in the header.'),
    draws: 'keys stream "<party> keys": account Ed25519 seed(32), device X25519 secret(32), device Ed25519 seed(32), signed prekey(32), one-time prekey(32), X-Wing seed(32); session stream "<party> ratchet": as the session code asks (ephemeral, KEM encapsulation(64), ratchet keys, header nonces, KEM offers)',
    startMs: START_MS,
    alice: { keysLabel: 'session alice keys', ratchetLabel: 'session alice ratchet', deviceId: 1, certificate: hex(alice.local.certificate.bytes), accountKey: hex(alice.accountKey) },
    bob: { keysLabel: 'session bob keys', ratchetLabel: 'session bob ratchet', deviceId: 2, bundle: hex(bob.bundle), accountKey: hex(bob.accountKey) },
    transcript,
    finalRecords: { alice: hex(aliceRecord.serialize()), bob: hex((bobRecord as SessionRecord).serialize()) }
  }
}

// ---------------------------------------------------------------- sealed sender (section 7)

export function buildSealedSenderVector(): Json {
  const keys = seededRandom(seedFor('sealed sender keys'))
  const account = generateAccountIdentity(keys)
  const sender = generateDeviceKeys(3, keys)
  const recipient = generateDeviceKeys(4, keys)
  const certificate = issueDeviceCertificate(account, sender, START_MS)
  const random = seededRandom(seedFor('sealed sender envelopes'))
  const content = encoder.encode('inner ratchet message bytes')
  const commitment = seedFor('sealed sender franking commitment')
  const plain = sealEnvelope({ senderCertificate: certificate, senderIdentity: sender.identity, recipientIdentityKey: recipient.identity.publicKey, contentType: 1, content, sentAtMs: START_MS }, random)
  const franked = sealEnvelope(
    { senderCertificate: certificate, senderIdentity: sender.identity, recipientIdentityKey: recipient.identity.publicKey, contentType: 2, content, sentAtMs: START_MS + 1, frankingCommitment: commitment },
    random
  )
  const profileSecret = seedFor('sealed sender profile secret')
  const mailbox = seedFor('sealed sender mailbox')
  const token = deriveDeliveryToken(profileSecret, mailbox)
  return {
    ...header('sealed-sender', 'docs/protocol.md section 7', 'Two envelopes from one sender device to one recipient device (the second with a franking commitment), and a delivery token.'),
    draws: 'keys stream: account seed(32), sender X25519(32), sender Ed25519 seed(32), recipient X25519(32), recipient Ed25519 seed(32); envelope stream: one ephemeral X25519 secret(32) per envelope',
    senderCertificate: hex(certificate.bytes),
    recipientIdentitySecretKey: hex(recipient.identity.secretKey),
    recipientIdentityPublicKey: hex(recipient.identity.publicKey),
    nowMs: START_MS,
    envelopes: [
      { contentType: 1, sentAtMs: START_MS, content: hex(content), envelope: hex(plain) },
      { contentType: 2, sentAtMs: START_MS + 1, content: hex(content), frankingCommitment: hex(commitment), envelope: hex(franked) }
    ],
    deliveryToken: { profileSecret: hex(profileSecret), mailboxId: hex(mailbox), token: hex(token), verifier: hex(deliveryTokenVerifier(token)) }
  }
}

// ---------------------------------------------------------------- sender keys (section 8)

export function buildSenderKeysVector(): Json {
  const distributionId = seedFor('sender keys group').slice(0, 16)
  const own = SenderKeyRecord.createOwn(distributionId, seededRandom(seedFor('sender keys chain')))
  const distribution = own.distributionMessage()
  const nonces = seededRandom(seedFor('sender keys nonces'))
  const texts = ['group message 0', 'group message 1', 'group message 2']
  const messages = texts.map((text) => ({ plaintext: text, message: hex(own.encrypt(encoder.encode(text), nonces)) }))
  own.rotate(seededRandom(seedFor('sender keys rotation')))
  const rotated = own.distributionMessage()
  const afterRotation = { plaintext: 'after rotation', message: hex(own.encrypt(encoder.encode('after rotation'), nonces)) }
  return {
    ...header('sender-keys', 'docs/protocol.md section 8', 'One sender chain, three messages, a rotation (new chain and signing key) and one message on the new chain.'),
    draws: 'chain stream: chainId(4), chainKey(32), Ed25519 seed(32); the rotation stream the same for the new chain; nonce stream "sender keys nonces": one nonce(24) per message, in message order',
    distributionId: hex(distributionId),
    distribution: hex(distribution),
    messages,
    rotatedDistribution: hex(rotated),
    afterRotation,
    senderRecord: hex(own.serialize())
  }
}

// ---------------------------------------------------------------- safety numbers (section 9)

export function buildSafetyNumbersVector(): Json {
  const alice = ed25519KeyPairFromSeed(seedFor('safety alice')).publicKey
  const bob = ed25519KeyPairFromSeed(seedFor('safety bob')).publicKey
  const seenByAlice = computeSafetyNumber({ accountKey: alice }, { accountKey: bob })
  const seenByBob = computeSafetyNumber({ accountKey: bob }, { accountKey: alice })
  const signalKey = Uint8Array.of(0x05, ...seedFor('safety signal key'))
  const signalId = encoder.encode('+14152222222')
  return {
    ...header('safety-numbers', 'docs/protocol.md section 9', 'Tessera safety number of two account keys (both views), and one half computed with Signal\'s parameters (hash version 0, 0x05 key) to check the shared algorithm.'),
    tessera: {
      aliceAccountKey: hex(alice),
      bobAccountKey: hex(bob),
      digits: seenByAlice.digits,
      qrSeenByAlice: hex(seenByAlice.qrPayload),
      qrSeenByBob: hex(seenByBob.qrPayload),
      digitsSeenByBob: seenByBob.digits
    },
    signalAlgorithm: {
      hashVersion: 0,
      iterations: SIGNAL_FINGERPRINT_ITERATIONS,
      encodedKey: hex(signalKey),
      stableId: hex(signalId),
      thirtyDigits: thirtyDigits(iteratedFingerprintHash(0, signalKey, signalId, SIGNAL_FINGERPRINT_ITERATIONS))
    }
  }
}

// ---------------------------------------------------------------- franking (section 10)

export function buildFrankingVector(): Json {
  const keys = seededRandom(seedFor('franking keys'))
  const account = generateAccountIdentity(keys)
  const device = generateDeviceKeys(5, keys)
  const certificate = issueDeviceCertificate(account, device, START_MS)
  const relay = ed25519KeyPairFromSeed(seedFor('franking relay'))
  const random = seededRandom(seedFor('franking message'))
  const attachment = encryptAttachment(encoder.encode('attachment plaintext'), random)
  const context: FrankingContext = {
    conversationId: seedFor('franking conversation'),
    messageId: seedFor('franking message id').slice(0, 16),
    senderAccountKey: certificate.accountKey,
    senderDeviceKey: certificate.signingKey,
    recipientMailbox: seedFor('franking mailbox'),
    sentAtMs: START_MS
  }
  const plaintext = encoder.encode('a reported message')
  const franked = frankMessage({ context, plaintext, attachments: [attachment.reference], deviceSigningSecretKey: device.signing.secretKey }, random)
  const frankingKey = franked.opening.slice(2, 34)
  const stamp = stampCommitment(relay.secretKey, franked.commitment, context.recipientMailbox, START_MS + 5)
  const report = encodeReport({ context, plaintext, attachments: [attachment.reference], opening: franked.opening, stamp, senderCertificate: certificate.bytes })
  const recomputed = computeFrankingCommitment(frankingKey, context, plaintext, [attachment.reference])
  if (toHex(recomputed) !== toHex(franked.commitment)) throw new Error('franking vector is inconsistent')
  return {
    ...header('franking', 'docs/protocol.md section 10', 'One franked message with one key-committed attachment, its relay stamp and the full report.'),
    draws: 'keys stream: account seed(32), device X25519(32), device Ed25519 seed(32); message stream: attachment key(32), attachment nonce(24), franking key(32)',
    relayPublicKey: hex(relay.publicKey),
    attachment: { plaintext: hex(encoder.encode('attachment plaintext')), key: hex(attachment.key), blob: hex(attachment.blob), plaintextSha256: hex(attachment.reference.plaintextSha256), ciphertextSha256: hex(attachment.reference.ciphertextSha256) },
    plaintext: hex(plaintext),
    frankingKey: hex(frankingKey),
    commitment: hex(franked.commitment),
    opening: hex(franked.opening),
    stamp: hex(stamp),
    report: hex(report)
  }
}

export async function buildAllVectors(): Promise<Record<string, Json>> {
  await loadSodium()
  return {
    'session.json': buildSessionVector(),
    'sealed-sender.json': buildSealedSenderVector(),
    'sender-keys.json': buildSenderKeysVector(),
    'safety-numbers.json': buildSafetyNumbersVector(),
    'franking.json': buildFrankingVector()
  }
}

export const VECTORS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'vectors')

async function main(): Promise<void> {
  const vectors = await buildAllVectors()
  mkdirSync(VECTORS_DIR, { recursive: true })
  for (const [name, content] of Object.entries(vectors)) {
    writeFileSync(join(VECTORS_DIR, name), `${JSON.stringify(content, null, 2)}\n`)
    console.log(`wrote docs/vectors/${name}`)
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main()
}
