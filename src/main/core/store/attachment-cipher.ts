import { createHash } from 'node:crypto'
import type { FileHandle } from 'node:fs/promises'
import { open } from 'node:fs/promises'
import type { Sodium } from '../crypto/sodium'
import { writeDurably } from './durable-file'
import { StoreError } from './store-error'

/**
 * Attachment files at rest: libsodium crypto_secretstream_xchacha20poly1305
 * (libsodium docs, "Encrypted streams and file encryption") under a per-file
 * random key that is stored only in the encrypted database.
 *
 * File layout, version 1:
 *   "TSA1" (4 bytes) | secretstream header (24) | chunk* 
 * every chunk is CHUNK_BYTES of plaintext + 17 bytes (tag + MAC), the last
 * one shorter and tagged FINAL, so truncation and reordering are detected.
 * Only one chunk is in memory at a time, in both directions.
 */
export const CHUNK_BYTES = 64 * 1024
const MAGIC = Buffer.from('TSA1', 'ascii')

export interface EncryptedFileInfo {
  readonly plaintextSize: number
  readonly storedSize: number
  readonly plaintextSha256: Uint8Array
}

/** Encrypts `source` into `path` durably; `source` may yield chunks of any size. */
export async function encryptToFile(
  sodium: Sodium,
  key: Uint8Array,
  source: AsyncIterable<Uint8Array>,
  path: string
): Promise<EncryptedFileInfo> {
  const hash = createHash('sha256')
  let plaintextSize = 0
  let storedSize = 0
  await writeDurably(path, async (handle) => {
    const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key)
    storedSize += await writeAll(handle, MAGIC)
    storedSize += await writeAll(handle, header)
    // Hold one chunk back: only when the source ends do we know which chunk is FINAL.
    let pending: Uint8Array | undefined
    for await (const chunk of rechunk(source, CHUNK_BYTES)) {
      if (pending !== undefined) storedSize += await writeAll(handle, push(pending, false))
      pending = chunk
      plaintextSize += chunk.length
      hash.update(chunk)
    }
    storedSize += await writeAll(handle, push(pending ?? new Uint8Array(0), true))

    function push(plain: Uint8Array, final: boolean): Uint8Array {
      const tag = final ? sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL : sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
      return sodium.crypto_secretstream_xchacha20poly1305_push(state, plain, null, tag)
    }
  })
  return { plaintextSize, storedSize, plaintextSha256: new Uint8Array(hash.digest()) }
}

/**
 * Decrypts `path` chunk by chunk. The plaintext SHA-256 is compared at the
 * end; a mismatch, a bad MAC, a missing FINAL tag or trailing bytes throw
 * StoreError('attachment-corrupt'). Consumers that must not act on
 * unverified bytes use decryptToFile, which only renames a verified result.
 */
export async function* decryptFile(sodium: Sodium, key: Uint8Array, path: string, expectedSha256: Uint8Array): AsyncGenerator<Uint8Array> {
  const handle = await open(path, 'r')
  try {
    const prefix = await readExactly(handle, MAGIC.length + sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES)
    if (prefix.length < MAGIC.length || !Buffer.from(prefix.subarray(0, MAGIC.length)).equals(MAGIC)) throw corrupt('unknown file format')
    const header = prefix.subarray(MAGIC.length)
    if (header.length !== sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES) throw corrupt('truncated header')
    const state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(header, key)
    const hash = createHash('sha256')
    const sealedChunk = CHUNK_BYTES + sodium.crypto_secretstream_xchacha20poly1305_ABYTES
    for (;;) {
      const sealed = await readExactly(handle, sealedChunk)
      if (sealed.length < sodium.crypto_secretstream_xchacha20poly1305_ABYTES) throw corrupt('truncated')
      const result = pull(sodium, state, sealed)
      hash.update(result.message)
      yield result.message
      if (result.tag === sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL) break
      if (sealed.length < sealedChunk) throw corrupt('truncated')
    }
    if ((await readExactly(handle, 1)).length !== 0) throw corrupt('trailing data')
    if (!Buffer.from(hash.digest()).equals(expectedSha256)) throw corrupt('plaintext hash mismatch')
  } finally {
    await handle.close()
  }
}

/** Decrypts into `destination` atomically: the file appears only once the hash checked out. */
export async function decryptToFile(sodium: Sodium, key: Uint8Array, path: string, expectedSha256: Uint8Array, destination: string): Promise<void> {
  await writeDurably(destination, async (handle) => {
    for await (const chunk of decryptFile(sodium, key, path, expectedSha256)) await writeAll(handle, chunk)
  })
}

function pull(sodium: Sodium, state: ReturnType<Sodium['crypto_secretstream_xchacha20poly1305_init_pull']>, sealed: Uint8Array): { message: Uint8Array; tag: number } {
  let result: { message: Uint8Array; tag: number } | false
  try {
    result = sodium.crypto_secretstream_xchacha20poly1305_pull(state, sealed, null)
  } catch {
    result = false
  }
  if (result === false || result === null) throw corrupt('authentication failed')
  return result
}

/** Splits or joins the source's chunks into exactly `size`-byte chunks (the last may be shorter). */
export async function* rechunk(source: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  let buffer = new Uint8Array(size)
  let filled = 0
  for await (const piece of source) {
    let offset = 0
    while (offset < piece.length) {
      const take = Math.min(size - filled, piece.length - offset)
      buffer.set(piece.subarray(offset, offset + take), filled)
      filled += take
      offset += take
      if (filled === size) {
        yield buffer
        buffer = new Uint8Array(size)
        filled = 0
      }
    }
  }
  if (filled > 0) yield buffer.subarray(0, filled)
}

async function readExactly(handle: FileHandle, length: number): Promise<Uint8Array> {
  const buffer = new Uint8Array(length)
  let filled = 0
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, null)
    if (bytesRead === 0) break
    filled += bytesRead
  }
  return buffer.subarray(0, filled)
}

async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<number> {
  let written = 0
  while (written < bytes.length) {
    const result = await handle.write(bytes, written, bytes.length - written, null)
    written += result.bytesWritten
  }
  return bytes.length
}

function corrupt(reason: string): StoreError {
  return new StoreError('attachment-corrupt', `The attachment file is damaged or was tampered with (${reason}).`)
}
