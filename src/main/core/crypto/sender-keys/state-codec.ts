import { ByteReader, ByteWriter, DecodeError } from '../primitives/byte-io'
import { ED25519_PUBLIC_KEY_BYTES, ED25519_SECRET_KEY_BYTES } from '../primitives/ed25519'
import { PROTOCOL_VERSION } from '../primitives/encoding'
import { CHAIN_KEY_BYTES } from './chain'
import { DISTRIBUTION_ID_BYTES } from './messages'

/**
 * Serialized sender-key record (docs/protocol.md section 8.5):
 *
 *   0x01 || 0x54 || distributionId (16) || u8 n || n x chain
 *   chain = u32 chainId || u32 iteration || chainKey (32) || signingKey (32)
 *           || u8 hasSecret || [signingSecretKey (64)] || u32 m || m x (u32 iteration || seed (32))
 *
 * Chains newest first; skipped seeds in the order they were stored (oldest first).
 */

export const SENDER_KEY_RECORD_TYPE = 0x54

export interface ChainState {
  chainId: number
  /** The iteration whose message key `chainKey` derives next. */
  iteration: number
  chainKey: Uint8Array
  readonly signingKey: Uint8Array
  /** Present only on the sender's own chain. */
  readonly signingSecretKey?: Uint8Array
  /** iteration -> message key seed; Map order is storage order (oldest first). */
  readonly skipped: Map<number, Uint8Array>
}

export function cloneChain(chain: ChainState): ChainState {
  const skipped = new Map<number, Uint8Array>()
  for (const [iteration, seed] of chain.skipped) skipped.set(iteration, seed.slice())
  return {
    chainId: chain.chainId,
    iteration: chain.iteration,
    chainKey: chain.chainKey.slice(),
    signingKey: chain.signingKey,
    ...(chain.signingSecretKey ? { signingSecretKey: chain.signingSecretKey.slice() } : {}),
    skipped
  }
}

export function encodeRecord(distributionId: Uint8Array, chains: readonly ChainState[]): Uint8Array {
  const writer = new ByteWriter(512).u8(PROTOCOL_VERSION).u8(SENDER_KEY_RECORD_TYPE).bytes(distributionId).u8(chains.length)
  for (const chain of chains) {
    writer.u32(chain.chainId).u32(chain.iteration).bytes(chain.chainKey).bytes(chain.signingKey)
    if (chain.signingSecretKey) writer.u8(1).bytes(chain.signingSecretKey)
    else writer.u8(0)
    writer.u32(chain.skipped.size)
    for (const [iteration, seed] of chain.skipped) writer.u32(iteration).bytes(seed)
  }
  // The writer's buffer held chain keys: wipe it once copied out.
  return writer.finish(true)
}

export function decodeRecord(
  bytes: Uint8Array,
  maxChains: number,
  maxSkipped: number
): { distributionId: Uint8Array; chains: ChainState[] } | null {
  try {
    const reader = new ByteReader(bytes)
    if (reader.u8() !== PROTOCOL_VERSION || reader.u8() !== SENDER_KEY_RECORD_TYPE) return null
    const distributionId = reader.bytes(DISTRIBUTION_ID_BYTES)
    const count = reader.u8()
    if (count > maxChains) return null
    const chains: ChainState[] = []
    for (let i = 0; i < count; i++) {
      const chainId = reader.u32()
      const iteration = reader.u32()
      const chainKey = reader.bytes(CHAIN_KEY_BYTES)
      const signingKey = reader.bytes(ED25519_PUBLIC_KEY_BYTES)
      const hasSecret = reader.u8()
      if (hasSecret > 1) return null
      const signingSecretKey = hasSecret === 1 ? reader.bytes(ED25519_SECRET_KEY_BYTES) : undefined
      const skippedCount = reader.u32()
      if (skippedCount > maxSkipped) return null
      const skipped = new Map<number, Uint8Array>()
      for (let j = 0; j < skippedCount; j++) {
        const skippedIteration = reader.u32()
        if (skippedIteration >= iteration || skipped.has(skippedIteration)) return null
        skipped.set(skippedIteration, reader.bytes(32))
      }
      if (chains.some((c) => c.chainId === chainId)) return null
      chains.push({ chainId, iteration, chainKey, signingKey, ...(signingSecretKey ? { signingSecretKey } : {}), skipped })
    }
    reader.end()
    return { distributionId, chains }
  } catch (error) {
    if (error instanceof DecodeError) return null
    throw error
  }
}
