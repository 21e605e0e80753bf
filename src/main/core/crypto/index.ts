/**
 * Public surface of the crypto core, sections 0-5 of docs/protocol.md:
 * primitives, identity, prekeys, session setup and the Double Ratchet.
 * The messaging parts (fanout/, sealed-sender/, sender-keys/,
 * safety-numbers/, franking/) export from their own folders.
 * Everything here is pure computation over Uint8Array: no I/O, no clock or
 * randomness that cannot be injected. Await `loadSodium()` once first.
 */
export { loadSodium, type Sodium } from './sodium'
export * as primitives from './primitives'
export * from './identity'
export * from './prekeys'
export * from './session'
export {
  MAX_ARCHIVED_SESSIONS,
  MAX_FORWARD_JUMP,
  MAX_RECEIVER_CHAINS,
  MAX_SKIPPED_KEYS,
  MAX_SKIPPED_KEY_AGE_MS,
  PQ_STEP_MESSAGE_INTERVAL,
  PQ_STEP_TIME_INTERVAL_MS
} from './ratchet/limits'
export type { RatchetFailure } from './ratchet/ratchet-decrypt'
