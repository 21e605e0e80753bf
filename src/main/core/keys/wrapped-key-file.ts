import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import type { Sodium } from '../crypto/sodium'
import { writeDurably } from '../store/durable-file'
import type { Argon2Params } from './argon2-params'
import { ARGON2_BOUNDS } from './argon2-params'
import { deriveArgon2Seed } from './argon2-worker'

/**
 * A copy of the database key, sealed under a key derived from a secret the
 * user knows (the recovery key or the app-lock passphrase).
 *
 *   seed      = Argon2id(secret, salt, ops, mem)             (32 bytes)
 *   (pk, sk)  = crypto_box_seed_keypair(seed)                 (X25519)
 *   sealed[i] = crypto_box_seal(databaseKey[i], pk)            (libsodium sealed box)
 *
 * The file stores salt, params, pk and the sealed keys as JSON. Sealing to
 * a public key (instead of a secretbox under the derived key) lets the app
 * re-wrap a NEW database key during rotation without asking for the secret
 * again. A wrong secret derives a different pk, detected by comparing it with
 * the stored one before any box is opened. During a rotation the file holds
 * the new key and the old one, so a crash at any point leaves a file that
 * opens the database (database-key-rotation.ts).
 */
export type WrappedKeyKind = 'recovery-key' | 'app-lock'

const FILE_FORMAT = 'tessera-wrapped-database-key'
const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/).max(4096)

const WrappedKeySchema = z.object({
  format: z.literal(FILE_FORMAT),
  version: z.literal(1),
  kind: z.enum(['recovery-key', 'app-lock']),
  kdf: z.object({
    algorithm: z.literal('argon2id13'),
    opsLimit: z.number().int().min(ARGON2_BOUNDS.minOps).max(ARGON2_BOUNDS.maxOps),
    memLimit: z.number().int().min(ARGON2_BOUNDS.minMem).max(ARGON2_BOUNDS.maxMem),
    salt: base64
  }),
  publicKey: base64,
  sealedKeys: z.array(base64).min(1).max(2)
})

export type WrappedKeyFile = z.infer<typeof WrappedKeySchema>

export type UnwrapFailure = 'wrong-secret' | 'unreadable-file'

export class WrappedKeyError extends Error {
  constructor(readonly code: UnwrapFailure, message: string) {
    super(message)
    this.name = 'WrappedKeyError'
  }
}

/** Derives the wrapping key pair from a secret and creates a file sealing `databaseKeys` to it. */
export async function createWrappedKey(
  sodium: Sodium,
  kind: WrappedKeyKind,
  secret: Uint8Array,
  params: Argon2Params,
  databaseKeys: readonly Uint8Array[]
): Promise<WrappedKeyFile> {
  const salt = new Uint8Array(randomBytes(sodium.crypto_pwhash_SALTBYTES))
  const pair = await deriveKeyPair(sodium, secret, salt, params)
  sodium.memzero(pair.privateKey)
  return resealWrappedKey(sodium, {
    format: FILE_FORMAT,
    version: 1,
    kind,
    kdf: { algorithm: 'argon2id13', opsLimit: params.opsLimit, memLimit: params.memLimit, salt: toBase64(salt) },
    publicKey: toBase64(pair.publicKey),
    sealedKeys: ['']
  }, databaseKeys)
}

/** The same wrapping (salt, params, pk) around other database keys: no secret needed. */
export function resealWrappedKey(sodium: Sodium, file: WrappedKeyFile, databaseKeys: readonly Uint8Array[]): WrappedKeyFile {
  const publicKey = fromBase64(file.publicKey)
  return { ...file, sealedKeys: databaseKeys.map((key) => toBase64(sodium.crypto_box_seal(key, publicKey))) }
}

/**
 * Opens the file with the secret: returns the sealed database keys (newest
 * first; the caller wipes them) or throws WrappedKeyError('wrong-secret').
 */
export async function unwrapKeys(sodium: Sodium, file: WrappedKeyFile, secret: Uint8Array): Promise<Uint8Array[]> {
  const pair = await deriveKeyPair(sodium, secret, fromBase64(file.kdf.salt), file.kdf)
  try {
    const stored = fromBase64(file.publicKey)
    if (stored.length !== pair.publicKey.length || !sodium.memcmp(stored, pair.publicKey)) {
      throw new WrappedKeyError('wrong-secret', `The ${file.kind === 'app-lock' ? 'passphrase' : 'recovery key'} is not the one this profile was set up with.`)
    }
    return file.sealedKeys.map((sealed) => {
      try {
        return sodium.crypto_box_seal_open(fromBase64(sealed), pair.publicKey, pair.privateKey)
      } catch {
        throw new WrappedKeyError('unreadable-file', 'The wrapped key file is damaged.')
      }
    })
  } finally {
    sodium.memzero(pair.privateKey)
  }
}

export async function readWrappedKeyFile(path: string): Promise<WrappedKeyFile | undefined> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new WrappedKeyError('unreadable-file', 'The wrapped key file is not valid JSON.')
  }
  const parsed = WrappedKeySchema.safeParse(json)
  if (!parsed.success) throw new WrappedKeyError('unreadable-file', 'The wrapped key file has an unknown format.')
  return parsed.data
}

/** Written atomically (temp file, fsync, rename), 0600. */
export async function writeWrappedKeyFile(path: string, file: WrappedKeyFile): Promise<void> {
  const json = `${JSON.stringify(file, null, 2)}\n`
  await writeDurably(path, (handle) => handle.writeFile(json, 'utf8'))
}

/** Argon2id runs in a worker thread (argon2-worker.ts: memory and main-thread reasons). */
async function deriveKeyPair(sodium: Sodium, secret: Uint8Array, salt: Uint8Array, params: Argon2Params): Promise<{ publicKey: Uint8Array; privateKey: Uint8Array }> {
  const seed = await deriveArgon2Seed(secret, salt, params)
  try {
    const pair = sodium.crypto_box_seed_keypair(seed)
    return { publicKey: pair.publicKey, privateKey: pair.privateKey }
  } finally {
    sodium.memzero(seed)
  }
}

const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64')
const fromBase64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'))
