import { encodeFrame } from '../../../../src/shared/relay/index'
import type { RequestFrame } from '../../../../src/shared/relay/index'

/** xorshift32: a seeded PRNG so that a failing fuzz run can be replayed from its printed seed. */
export class Prng {
  private state: number
  constructor(seed: number) {
    this.state = seed >>> 0 || 1
  }
  next(): number {
    let x = this.state
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    this.state = x >>> 0
    return this.state
  }
  below(n: number): number {
    return this.next() % n
  }
  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length)
    for (let i = 0; i < length; i++) out[i] = this.next() & 0xff
    return out
  }
}

/** One valid frame of every request type, with random content (docs/relay-protocol.md section 4). */
export function validFrames(prng: Prng): Uint8Array[] {
  const b = (n: number): Uint8Array => prng.bytes(n)
  const requestId = 1 + prng.below(0xfffffff)
  const frames: RequestFrame[] = [
    { type: 'createMailbox', requestId, mailboxId: b(32), ownerKey: b(32), deliveryTokenHash: b(32), signature: b(64) },
    { type: 'authenticate', requestId, mailboxId: b(32), signature: b(64) },
    { type: 'subscribe', requestId, afterSeq: prng.below(1000) },
    { type: 'send', requestId, mailboxId: b(32), messageId: b(16), deliveryToken: prng.below(2) ? b(32) : new Uint8Array(0), envelope: b(256) },
    { type: 'ack', requestId, upToSeq: prng.below(1000), seqs: [prng.below(100), prng.below(100)] },
    { type: 'setDeliveryToken', requestId, deliveryTokenHash: b(32) },
    { type: 'publishPrekeys', requestId, bundle: b(40), oneTimePrekeys: [{ pool: prng.below(4), key: b(33) }] },
    { type: 'fetchPrekeys', requestId, mailboxId: b(32) },
    { type: 'publishDeviceList', requestId, mailboxId: b(32), version: prng.below(10), list: b(20), signature: b(64) },
    { type: 'fetchDeviceList', requestId, mailboxId: b(32) },
    { type: 'uploadBlobChunk', requestId, blobHash: b(32), totalSize: 100, offset: 0, chunk: b(10) },
    { type: 'queryBlob', requestId, blobHash: b(32) },
    { type: 'downloadBlobChunk', requestId, blobHash: b(32), offset: 0, length: 100 },
    { type: 'writeRendezvous', requestId, slotId: b(16), payload: b(20) },
    { type: 'readRendezvous', requestId, slotId: b(16), readToken: b(16), waitMs: 0 },
    { type: 'ping', requestId }
  ]
  return frames.map(encodeFrame)
}

/** Applies 1-4 random mutations: bit flips, byte overwrites, truncation, extension, header changes. */
export function mutate(prng: Prng, frame: Uint8Array): Uint8Array {
  let out = frame.slice()
  const count = 1 + prng.below(4)
  for (let i = 0; i < count; i++) {
    switch (prng.below(6)) {
      case 0:
        if (out.length) out[prng.below(out.length)]! ^= 1 << prng.below(8)
        break
      case 1:
        if (out.length) out[prng.below(out.length)] = prng.below(256)
        break
      case 2:
        out = out.slice(0, prng.below(out.length + 1))
        break
      case 3: {
        const extended = new Uint8Array(out.length + 1 + prng.below(16))
        extended.set(out)
        extended.set(prng.bytes(extended.length - out.length), out.length)
        out = extended
        break
      }
      case 4:
        if (out.length > 1) out[1] = prng.below(256)
        break
      case 5:
        // Corrupt a length prefix region near the start of the body.
        if (out.length > 10) out[6 + prng.below(Math.min(40, out.length - 6))] = 0xff
        break
    }
  }
  return out
}

/** The fuzz corpus item `index`: ~40% random bytes, ~50% mutated valid frames, ~10% valid frames. */
export function fuzzFrame(prng: Prng): Uint8Array {
  const roll = prng.below(10)
  if (roll < 4) return prng.bytes(prng.below(80))
  const valid = validFrames(prng)
  const frame = valid[prng.below(valid.length)] as Uint8Array
  return roll < 9 ? mutate(prng, frame) : frame
}
