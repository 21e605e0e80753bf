import { createHash } from 'node:crypto'
import type { RandomSource } from '../../../../src/main/core/crypto/primitives/bytes'

/**
 * A deterministic byte stream for tests that must replay exactly
 * (SHA-256 in counter mode over a seed label). Never used by the app.
 */
export function deterministicRandom(seed: string): RandomSource & { draws: number } {
  let counter = 0
  const source = ((length: number) => {
    source.draws++
    const out = new Uint8Array(length)
    for (let offset = 0; offset < length; offset += 32) {
      const block = createHash('sha256').update(seed).update(String(counter++)).digest()
      out.set(block.subarray(0, Math.min(32, length - offset)), offset)
    }
    return out
  }) as RandomSource & { draws: number }
  source.draws = 0
  return source
}
