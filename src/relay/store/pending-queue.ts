/** Flag bits of a pending row. */
export const FIRST_CONTACT = 1
export const DROPPED_MARKER = 2
/** Set once the row was acknowledged selectively; the slot stays until the head passes it. */
const REMOVED = 4

export interface PendingEntry {
  seq: number
  /** The row's id in the messages table. */
  id: number
  flags: number
}

/** Slots before the head are dropped once there are this many and they are most of the arrays. */
const COMPACT_AFTER = 256

/**
 * The pending (unacknowledged) rows of one mailbox in seq order, in memory:
 * seq -> row id, with the row's flags. The messages table has no
 * (mailbox, seq) index, because an index clustered by mailbox makes every
 * group commit rewrite one index page per active mailbox (decisions/0048);
 * reads look rows up by id instead. Rows are appended with increasing seqs, so
 * the arrays stay sorted; a cumulative ack moves the head, a selective ack
 * marks its slot removed.
 */
export class PendingQueue {
  private seqs: number[] = []
  private ids: number[] = []
  private flags: number[] = []
  private head = 0
  private live = 0
  private liveFirstContact = 0

  get pending(): number {
    return this.live
  }

  get firstContactPending(): number {
    return this.liveFirstContact
  }

  push(seq: number, id: number, flags: number): void {
    const last = this.seqs[this.seqs.length - 1]
    if (last !== undefined && seq <= last) throw new RangeError(`pending seq ${seq} is not above ${last}`)
    this.seqs.push(seq)
    this.ids.push(id)
    this.flags.push(flags)
    this.live++
    if (flags & FIRST_CONTACT) this.liveFirstContact++
  }

  /** The newest pending row, if the newest slot is still pending. */
  newest(): PendingEntry | undefined {
    const index = this.seqs.length - 1
    return index >= this.head ? this.liveAt(index) : undefined
  }

  /** The pending row with this seq, if any. */
  find(seq: number): PendingEntry | undefined {
    const index = this.indexOf(seq)
    return index === -1 ? undefined : this.liveAt(index)
  }

  /** Up to `limit` pending rows with seq > afterSeq, in seq order. */
  after(afterSeq: number, limit: number): PendingEntry[] {
    const out: PendingEntry[] = []
    for (let index = this.firstAbove(afterSeq); index < this.seqs.length && out.length < limit; index++) {
      const entry = this.liveAt(index)
      if (entry) out.push(entry)
    }
    return out
  }

  /** Removes every pending row with seq <= upTo (a cumulative ack); returns how many were pending. */
  removeUpTo(upTo: number): number {
    let removed = 0
    while (this.head < this.seqs.length && (this.seqs[this.head] as number) <= upTo) {
      const flags = this.flags[this.head] as number
      if (!(flags & REMOVED)) {
        this.countOut(flags)
        removed++
      }
      this.head++
    }
    this.compact()
    return removed
  }

  /** Removes one pending row; returns its flags, or undefined if it was not pending. */
  remove(seq: number): number | undefined {
    const index = this.indexOf(seq)
    if (index === -1) return undefined
    const flags = this.flags[index] as number
    if (flags & REMOVED) return undefined
    this.flags[index] = flags | REMOVED
    this.countOut(flags)
    while (this.head < this.seqs.length && (this.flags[this.head] as number) & REMOVED) this.head++
    this.compact()
    return flags
  }

  private countOut(flags: number): void {
    this.live--
    if (flags & FIRST_CONTACT) this.liveFirstContact--
  }

  private liveAt(index: number): PendingEntry | undefined {
    const flags = this.flags[index] as number
    return flags & REMOVED ? undefined : { seq: this.seqs[index] as number, id: this.ids[index] as number, flags }
  }

  /** Index of the first slot at or after the head with seq > afterSeq (binary search). */
  private firstAbove(afterSeq: number): number {
    let low = this.head
    let high = this.seqs.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if ((this.seqs[middle] as number) <= afterSeq) low = middle + 1
      else high = middle
    }
    return low
  }

  private indexOf(seq: number): number {
    const index = this.firstAbove(seq - 1)
    return index < this.seqs.length && this.seqs[index] === seq ? index : -1
  }

  private compact(): void {
    if (this.head < COMPACT_AFTER || this.head * 2 < this.seqs.length) return
    this.seqs = this.seqs.slice(this.head)
    this.ids = this.ids.slice(this.head)
    this.flags = this.flags.slice(this.head)
    this.head = 0
  }
}
