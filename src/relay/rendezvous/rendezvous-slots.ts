import { randomBytes, timingSafeEqual } from 'node:crypto'
import { RelayError } from '../../shared/relay/index'

/**
 * Rendezvous slots for device linking (docs/relay-protocol.md 4.13): one
 * writer (first write wins), one reader (holder of the read token), single use,
 * expiring after minutes. In memory only: a linking attempt does not survive a
 * relay restart, and nothing of it is ever written to disk.
 */
interface Slot {
  readToken: Buffer
  expiresAt: number
  payload: Uint8Array | undefined
  waiter: { resolve: (payload: Uint8Array) => void; reject: (error: RelayError) => void; timer: NodeJS.Timeout } | undefined
}

export class RendezvousSlots {
  private readonly slots = new Map<string, Slot>()

  constructor(
    private readonly ttlMs: number,
    private readonly maxSlots: number
  ) {}

  create(now: number): { slotId: Uint8Array; readToken: Uint8Array; expiresAt: number } {
    if (this.slots.size >= this.maxSlots) throw new RelayError('CAPACITY_EXCEEDED', 'too many open rendezvous slots')
    const slotId = randomBytes(16)
    const readToken = randomBytes(16)
    const expiresAt = now + this.ttlMs
    this.slots.set(slotId.toString('hex'), { readToken, expiresAt, payload: undefined, waiter: undefined })
    return { slotId, readToken, expiresAt }
  }

  write(slotId: Uint8Array, payload: Uint8Array, now: number): void {
    const slot = this.live(slotId, now)
    if (slot.payload) throw new RelayError('RENDEZVOUS_USED', 'slot was already written')
    slot.payload = payload
    if (slot.waiter) {
      clearTimeout(slot.waiter.timer)
      slot.waiter.resolve(payload)
      this.slots.delete(Buffer.from(slotId).toString('hex'))
    }
  }

  read(slotId: Uint8Array, readToken: Uint8Array, waitMs: number, now: number): Promise<Uint8Array> {
    const id = Buffer.from(slotId).toString('hex')
    const slot = this.live(slotId, now)
    if (!timingSafeEqual(slot.readToken, readToken)) throw new RelayError('AUTH_FAILED', 'wrong read token')
    if (slot.payload) {
      this.slots.delete(id)
      return Promise.resolve(slot.payload)
    }
    if (slot.waiter) {
      // Only the read-token holder gets here: a new read (e.g. after a reconnect) replaces the waiting one.
      clearTimeout(slot.waiter.timer)
      slot.waiter.reject(new RelayError('RENDEZVOUS_USED', 'replaced by a newer read'))
      slot.waiter = undefined
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        slot.waiter = undefined
        reject(new RelayError('RENDEZVOUS_EMPTY', 'nothing written yet'))
      }, Math.min(waitMs, slot.expiresAt - now))
      slot.waiter = { resolve, reject, timer }
    })
  }

  /** Removes expired slots and fails their waiting readers. */
  sweep(now: number): void {
    for (const [id, slot] of this.slots) {
      if (slot.expiresAt > now) continue
      if (slot.waiter) {
        clearTimeout(slot.waiter.timer)
        slot.waiter.reject(new RelayError('RENDEZVOUS_EXPIRED', 'slot expired'))
      }
      this.slots.delete(id)
    }
  }

  get size(): number {
    return this.slots.size
  }

  private live(slotId: Uint8Array, now: number): Slot {
    const slot = this.slots.get(Buffer.from(slotId).toString('hex'))
    if (!slot || slot.expiresAt <= now) throw new RelayError('RENDEZVOUS_EXPIRED', 'no such slot or expired')
    return slot
  }
}
