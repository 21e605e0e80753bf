/**
 * Double Ratchet limits, docs/protocol.md section 0.4 (the values libsignal
 * uses: MAX_FORWARD_JUMPS, MAX_MESSAGE_KEYS, MAX_RECEIVER_CHAINS,
 * ARCHIVED_STATES_MAX_LENGTH in libsignal's consts.rs).
 */
/** A message more than this many positions ahead of its chain is rejected before any KDF work. */
export const MAX_FORWARD_JUMP = 25_000
/** Stored skipped message keys per session; the oldest are evicted first. */
export const MAX_SKIPPED_KEYS = 2_000
/** Skipped message keys older than this are evicted (30 days). */
export const MAX_SKIPPED_KEY_AGE_MS = 30 * 24 * 60 * 60 * 1000
/** Receiver chains kept per session; the oldest is dropped with its skipped keys. */
export const MAX_RECEIVER_CHAINS = 5
/** Archived (previous) sessions kept per remote device. */
export const MAX_ARCHIVED_SESSIONS = 40
/** Sparse PQ ratchet step (section 5): start one after this many messages... */
export const PQ_STEP_MESSAGE_INTERVAL = 50
/** ...or after this much time since the last completed step (24 h). */
export const PQ_STEP_TIME_INTERVAL_MS = 24 * 60 * 60 * 1000
/** Upper bound on an encrypted header (a header with a KEM offer and answer is ~2.4 KB). */
export const MAX_HEADER_CIPHERTEXT_BYTES = 4_096
