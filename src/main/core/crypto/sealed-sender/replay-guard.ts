import { ByteReader, ByteWriter, DecodeError } from '../primitives/byte-io'
import { fromHex, toHex } from '../primitives/bytes'
import { PROTOCOL_VERSION } from '../primitives/encoding'

/**
 * Replay detection for sealed envelopes (docs/protocol.md section 7.3).
 *
 * Two layers catch a replayed envelope. The ratchet message inside it fails
 * anyway (its message key was consumed: section 4), but a replayed envelope
 * still costs two X25519 operations and a certificate check before that, and
 * a replayed envelope with a non-ratchet payload (e.g. a sender-key message)
 * would otherwise be accepted twice. So the recipient also remembers the
 * envelope id (its ephemeral public key, fresh per envelope) together with
 * the authenticated `sentAtMs` from layer 2:
 *
 *   - an envelope older than `windowMs` (relative to now) is rejected ("too-old"),
 *     which bounds how long ids must be remembered;
 *   - a remembered id is rejected ("replay");
 *   - an envelope dated more than `maxFutureMs` ahead of now is rejected
 *     ("too-new"), so no entry can outlive the window by lying about its time;
 *   - at most `maxEntries` ids are kept; evicting one raises a floor, and an
 *     envelope sent at or before the floor is rejected as "too-old", so
 *     eviction can never let a replay through.
 *
 * Callers `check` before accepting and `record` only after the whole message
 * was processed successfully, so a failed decryption leaves no trace.
 *
 * State bytes: 0x01 || 0x51 || u64 floor || u32 n || n x (32-byte id || u64 sentAtMs)
 */

export const REPLAY_GUARD_TYPE = 0x51
export const DEFAULT_REPLAY_WINDOW_MS = 30 * 86_400_000
export const DEFAULT_REPLAY_MAX_ENTRIES = 100_000
export const DEFAULT_REPLAY_MAX_FUTURE_MS = 86_400_000
const ID_BYTES = 32

export type ReplayVerdict = 'fresh' | 'replay' | 'too-old' | 'too-new'

export class SealedReplayGuard {
  /** hex(id) -> sentAtMs; Map keeps insertion order, which eviction uses after sorting by time. */
  private readonly seen = new Map<string, number>()
  private floorMs = 0

  constructor(
    private readonly windowMs = DEFAULT_REPLAY_WINDOW_MS,
    private readonly maxEntries = DEFAULT_REPLAY_MAX_ENTRIES,
    private readonly maxFutureMs = DEFAULT_REPLAY_MAX_FUTURE_MS
  ) {
    if (!Number.isSafeInteger(windowMs) || windowMs <= 0) throw new RangeError('windowMs must be positive')
    if (!Number.isSafeInteger(maxEntries) || maxEntries <= 0) throw new RangeError('maxEntries must be positive')
  }

  get size(): number {
    return this.seen.size
  }

  check(envelopeId: Uint8Array, sentAtMs: number, nowMs: number): ReplayVerdict {
    if (envelopeId.length !== ID_BYTES) throw new RangeError('envelopeId must be 32 bytes')
    if (sentAtMs <= this.floorMs || nowMs - sentAtMs > this.windowMs) return 'too-old'
    if (sentAtMs - nowMs > this.maxFutureMs) return 'too-new'
    return this.seen.has(toHex(envelopeId)) ? 'replay' : 'fresh'
  }

  /** Remembers an accepted envelope; call only after `check` returned 'fresh' and processing succeeded. */
  record(envelopeId: Uint8Array, sentAtMs: number, nowMs: number): void {
    if (this.check(envelopeId, sentAtMs, nowMs) !== 'fresh') throw new RangeError('record() of an envelope that is not fresh')
    this.seen.set(toHex(envelopeId), sentAtMs)
    this.prune(nowMs)
  }

  private prune(nowMs: number): void {
    for (const [id, sentAt] of this.seen) {
      if (nowMs - sentAt > this.windowMs) this.seen.delete(id)
    }
    if (this.seen.size <= this.maxEntries) return
    const oldestFirst = [...this.seen].sort((a, b) => a[1] - b[1])
    for (const [id, sentAt] of oldestFirst.slice(0, this.seen.size - this.maxEntries)) {
      this.seen.delete(id)
      this.floorMs = Math.max(this.floorMs, sentAt)
    }
  }

  serialize(): Uint8Array {
    const writer = new ByteWriter(14 + this.seen.size * 40).u8(PROTOCOL_VERSION).u8(REPLAY_GUARD_TYPE).u64(this.floorMs).u32(this.seen.size)
    for (const [id, sentAt] of this.seen) writer.bytes(fromHex(id)).u64(sentAt)
    return writer.finish()
  }

  /** Restores a guard; null if the bytes are not a valid state. */
  static deserialize(bytes: Uint8Array, windowMs = DEFAULT_REPLAY_WINDOW_MS, maxEntries = DEFAULT_REPLAY_MAX_ENTRIES): SealedReplayGuard | null {
    try {
      const reader = new ByteReader(bytes)
      if (reader.u8() !== PROTOCOL_VERSION || reader.u8() !== REPLAY_GUARD_TYPE) return null
      const guard = new SealedReplayGuard(windowMs, maxEntries)
      guard.floorMs = reader.u64()
      const count = reader.u32()
      if (count > maxEntries) return null
      for (let i = 0; i < count; i++) {
        const id = toHex(reader.bytes(ID_BYTES))
        guard.seen.set(id, reader.u64())
      }
      reader.end()
      return guard
    } catch (error) {
      if (error instanceof DecodeError) return null
      throw error
    }
  }
}
