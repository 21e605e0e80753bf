/**
 * Wire constants of the Tessera relay protocol, version 1
 * (docs/relay-protocol.md section 2). These are protocol maximums: a relay may
 * configure lower limits, never higher ones.
 */
export const PROTOCOL_VERSION = 1

/** Header: version (u8), frame type (u8), request id (u32 big-endian). */
export const FRAME_HEADER_BYTES = 6

/** Largest frame either side may send (section 2.1). */
export const MAX_FRAME_BYTES = 512 * 1024

/** Largest sealed envelope (section 4.4); also the largest padding bucket. */
export const MAX_ENVELOPE_BYTES = 64 * 1024

/** Envelope lengths must be one of these (section 4.4, padding). */
export const PADDING_BUCKETS: readonly number[] = [256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536]

export const MAX_BLOB_CHUNK_BYTES = 256 * 1024
export const MAX_BLOB_BYTES = 1024 * 1024 * 1024
export const MAX_PREKEY_BUNDLE_BYTES = 8 * 1024
export const MAX_ONE_TIME_PREKEY_BYTES = 4 * 1024
export const MAX_ONE_TIME_PREKEYS_PER_PUBLISH = 500
export const MAX_PREKEY_POOLS = 4
export const MAX_DEVICE_LIST_BYTES = 16 * 1024
export const MAX_RENDEZVOUS_PAYLOAD_BYTES = 64 * 1024
export const MAX_RENDEZVOUS_WAIT_MS = 60_000
export const MAX_SELECTIVE_ACKS = 256
export const MAX_ERROR_MESSAGE_BYTES = 256
/** Inclusion proofs have at most ceil(log2(2^32)) hashes. */
export const MAX_RECEIPT_PROOF_HASHES = 32

export const MAILBOX_ID_BYTES = 32
export const MESSAGE_ID_BYTES = 16
export const ED25519_PUBLIC_KEY_BYTES = 32
export const ED25519_SIGNATURE_BYTES = 64
export const DELIVERY_TOKEN_BYTES = 32
export const SHA256_BYTES = 32
export const CHALLENGE_BYTES = 32
export const RENDEZVOUS_ID_BYTES = 16
export const RENDEZVOUS_READ_TOKEN_BYTES = 16

/** Largest integer a u64 field may carry: JS numbers are exact up to 2^53 - 1. */
export const MAX_U64 = Number.MAX_SAFE_INTEGER
