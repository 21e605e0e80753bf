import { ByteReader, ByteWriter, DecodeError } from '../primitives/byte-io'
import { assertBytes, equalBytes, randomBytes, type RandomSource } from '../primitives/bytes'
import { PROTOCOL_VERSION, StructureType } from '../primitives/encoding'
import { MAX_ARCHIVED_SESSIONS } from '../ratchet/limits'
import { ratchetDecrypt, type RatchetFailure } from '../ratchet/ratchet-decrypt'
import { ratchetEncrypt } from '../ratchet/ratchet-encrypt'
import { InvalidSessionStateError, readSessionState, writeSessionState } from '../ratchet/session-state-codec'
import { wipeDropped, type SessionState } from '../ratchet/session-state'
import { decodeInitialMessage, encodeInitialMessage, isInitialMessage } from './initial-message'

export interface SessionOptions {
  /** Randomness for ratchet keys, header nonces and KEM steps (fixed only in known-answer vectors). */
  readonly random?: RandomSource
  /** Clock in ms since the epoch (skipped-key ages, the 24 h PQ step). */
  readonly now?: () => number
}

/**
 * - no-session: the record holds no session at all
 * - needs-acceptance: an initial message for a session this record does not
 *   have; hand it to acceptSession()
 * - the ratchet failures of ratchetDecrypt
 */
export type DecryptFailure = RatchetFailure | 'no-session' | 'needs-acceptance'
export type DecryptResult = { ok: true; plaintext: Uint8Array } | { ok: false; reason: DecryptFailure }

const EMPTY = new Uint8Array(0)

/**
 * All sessions with one remote device (docs/protocol.md section 4.8): the
 * current one plus up to MAX_ARCHIVED_SESSIONS previous ones, as libsignal's
 * SessionRecord. Messages for an archived session still decrypt (a peer may
 * not yet know about our newer session); success promotes it to current.
 * Every operation is transactional: on failure nothing changes.
 */
export class SessionRecord {
  private current: SessionState | undefined
  private archived: SessionState[] = []
  private readonly random: RandomSource
  private readonly now: () => number
  /** Size of the last serialized or loaded form: sizes the next serialization buffer. */
  private sizeHint = 2048

  constructor(options: SessionOptions = {}) {
    this.random = options.random ?? randomBytes
    this.now = options.now ?? Date.now
  }

  /** Parses serialized bytes; throws InvalidSessionStateError on corrupted or unknown input. */
  static deserialize(bytes: Uint8Array, options: SessionOptions = {}): SessionRecord {
    assertBytes(bytes, undefined, 'session record')
    const record = new SessionRecord(options)
    try {
      // One private copy; the state's buffers are views into it (wiping them never touches the caller's bytes).
      record.sizeHint = bytes.length
      const reader = new ByteReader(bytes.slice(), true)
      if (reader.u8() !== PROTOCOL_VERSION || reader.u8() !== StructureType.SessionRecord) throw new DecodeError('not a v1 session record')
      const hasCurrent = reader.u8()
      if (hasCurrent > 1) throw new DecodeError('bad presence flag')
      if (hasCurrent === 1) record.current = readSessionState(reader)
      const archivedCount = reader.u8()
      if (archivedCount > MAX_ARCHIVED_SESSIONS) throw new DecodeError('too many archived sessions')
      for (let i = 0; i < archivedCount; i++) record.archived.push(readSessionState(reader))
      reader.end()
    } catch (error) {
      if (error instanceof DecodeError) throw new InvalidSessionStateError(`invalid session record: ${error.message}`)
      throw error
    }
    return record
  }

  /** Versioned bytes: 0x01 || 0x40 || u8 hasCurrent || [state] || u8 count || states. */
  serialize(): Uint8Array {
    const writer = new ByteWriter(this.sizeHint).u8(PROTOCOL_VERSION).u8(StructureType.SessionRecord)
    writer.u8(this.current ? 1 : 0)
    if (this.current) writeSessionState(writer, this.current)
    writer.u8(this.archived.length)
    for (const state of this.archived) writeSessionState(writer, state)
    const bytes = writer.finish(true)
    this.sizeHint = bytes.length
    return bytes
  }

  get hasSession(): boolean {
    return this.current !== undefined
  }

  /** Stored skipped-message keys of the current session (section 4.5). */
  get skippedKeyCount(): number {
    return this.current?.skippedKeys.length ?? 0
  }

  /** Our current ratchet public key (public; identifies our sending chain). */
  get sendingRatchetKey(): Uint8Array | undefined {
    return this.current?.sendRatchet.publicKey.slice()
  }

  /** The peer ratchet public keys of the kept receiver chains, newest first (public values). */
  get receiverRatchetKeys(): Uint8Array[] {
    return this.current?.receiverChains.map((chain) => chain.ratchetKey.slice()) ?? []
  }

  /** Receiver chains kept by the current session (section 4.5). */
  get receiverChainCount(): number {
    return this.current?.receiverChains.length ?? 0
  }

  get archivedCount(): number {
    return this.archived.length
  }

  /** The current peer's device certificate bytes (section 1.2), if any. */
  get remoteCertificate(): Uint8Array | undefined {
    return this.current?.remoteCertificate.slice()
  }

  /** True while our messages still carry the initial-message material (no reply decrypted yet). */
  get awaitingReply(): boolean {
    return this.current?.pendingInitial !== undefined
  }

  /** Encrypts with the current session; throws if there is none (a caller bug, not a network event). */
  encrypt(plaintext: Uint8Array, associatedData: Uint8Array = EMPTY): Uint8Array {
    assertBytes(plaintext, undefined, 'plaintext')
    assertBytes(associatedData, undefined, 'associatedData')
    if (!this.current) throw new Error('no session: initiate or accept one first')
    const result = ratchetEncrypt(this.current, plaintext, associatedData, { now: this.now(), random: this.random })
    this.replaceCurrent(result.state)
    const pending = result.state.pendingInitial
    return pending ? encodeInitialMessage(pending, result.message) : result.message
  }

  /** Decrypts a ratchet message, or an initial message of a session this record already has. */
  decrypt(message: Uint8Array, associatedData: Uint8Array = EMPTY): DecryptResult {
    assertBytes(message, undefined, 'message')
    assertBytes(associatedData, undefined, 'associatedData')
    const context = { now: this.now(), random: this.random }
    if (isInitialMessage(message)) {
      const initial = decodeInitialMessage(message)
      if (!initial) return { ok: false, reason: 'malformed' }
      const slot = this.findByBaseKey(initial.baseKey)
      if (slot === undefined) return { ok: false, reason: 'needs-acceptance' }
      const state = slot === -1 ? (this.current as SessionState) : (this.archived[slot] as SessionState)
      const result = ratchetDecrypt(state, initial.ratchetMessage, associatedData, context)
      if (!result.ok) return result
      this.commit(slot, result.state)
      return { ok: true, plaintext: result.plaintext }
    }
    if (!this.current) return { ok: false, reason: 'no-session' }
    const first = ratchetDecrypt(this.current, message, associatedData, context)
    if (first.ok) {
      this.replaceCurrent(first.state)
      return { ok: true, plaintext: first.plaintext }
    }
    // Only a header no key of the current session opens may belong to an archived one.
    if (first.reason !== 'no-matching-chain') return first
    for (let i = 0; i < this.archived.length; i++) {
      const result = ratchetDecrypt(this.archived[i] as SessionState, message, associatedData, context)
      if (result.ok) {
        this.commit(i, result.state)
        return { ok: true, plaintext: result.plaintext }
      }
      if (result.reason !== 'no-matching-chain') return result
    }
    return first
  }

  /** Moves the current session to the archive (e.g. the peer's identity changed). */
  archiveCurrentSession(): void {
    if (!this.current) return
    this.archived.unshift(this.current)
    this.current = undefined
    while (this.archived.length > MAX_ARCHIVED_SESSIONS) wipeDropped(this.archived.pop() as SessionState, undefined)
  }

  /** Installs a freshly set-up session as current, archiving the previous one (used by initiate/accept). */
  installSession(state: SessionState): void {
    this.archiveCurrentSession()
    this.current = state
  }

  /** -1 for the current session, an archive index, or undefined. */
  findByBaseKey(baseKey: Uint8Array): number | undefined {
    if (this.current && equalBytes(this.current.baseKey, baseKey)) return -1
    const index = this.archived.findIndex((state) => equalBytes(state.baseKey, baseKey))
    return index >= 0 ? index : undefined
  }

  private replaceCurrent(next: SessionState): void {
    const previous = this.current
    this.current = next
    if (previous) wipeDropped(previous, next)
  }

  /** Commits a successful decrypt for slot (-1 = current); an archived session becomes current. */
  private commit(slot: number, next: SessionState): void {
    if (slot === -1) {
      this.replaceCurrent(next)
      return
    }
    const previous = this.archived[slot] as SessionState
    this.archived.splice(slot, 1)
    wipeDropped(previous, next)
    this.installSession(next)
  }
}

export { InvalidSessionStateError }
