/**
 * Every KDF info string and signature context of Tessera, one place, so that
 * no two uses of a key can collide (domain separation, docs/protocol.md
 * section 0.3). All are ASCII, versioned "Tessera v1 ...". Never reuse a label
 * for a second purpose; a new version of a construction gets a new label.
 */
const encoder = new TextEncoder()

function label(text: string): Uint8Array {
  return encoder.encode(text)
}

// --- 1. Identity (signature contexts, prefixed to the signed bytes) ---
export const LABEL_DEVICE_CERTIFICATE = label('Tessera v1 device certificate')
export const LABEL_DEVICE_LIST = label('Tessera v1 device list')

// --- 2. Prekeys (signature contexts) ---
export const LABEL_SIGNED_PREKEY = label('Tessera v1 signed prekey')
export const LABEL_KEM_PREKEY = label('Tessera v1 kem prekey')

// --- 3. Session setup (PQXDH, signal.org/docs/specifications/pqxdh section 2.2 "info") ---
export const LABEL_PQXDH = label('Tessera v1 PQXDH X25519 SHA-256 X-Wing')

// --- 4. Double Ratchet with header encryption ---
/** KDF_RK_HE: HKDF info for a DH ratchet step (Double Ratchet spec sections 4 and 5.2). */
export const LABEL_RATCHET_ROOT = label('Tessera v1 ratchet root')
/** KDF_RK_HE when an X-Wing shared secret is mixed in (the sparse PQ step, docs/protocol.md section 5). */
export const LABEL_RATCHET_ROOT_PQ = label('Tessera v1 ratchet root pq')
/**
 * Message key + the message's random nonce -> body AEAD key (Double Ratchet
 * spec 5.2 recommends HKDF here). Replaces "Tessera v1 message keys", which
 * derived the body nonce from the message key alone (decision 0016).
 */
export const LABEL_MESSAGE_BODY_KEY = label('Tessera v1 message body key')
/** KDF_CK inputs: HMAC(ck, 0x01) = message key, HMAC(ck, 0x02) = next chain key (spec 5.2, libsignal). */
export const CHAIN_KDF_MESSAGE_KEY_INPUT = Uint8Array.of(0x01)
export const CHAIN_KDF_CHAIN_KEY_INPUT = Uint8Array.of(0x02)

// --- 6-11. Labels of the messaging layer parts (owned by those parts; add below, never reuse) ---
export const LABEL_SEALED_SENDER_EPHEMERAL = label('Tessera v1 sealed sender ephemeral')
export const LABEL_SEALED_SENDER_STATIC = label('Tessera v1 sealed sender static')
export const LABEL_DELIVERY_TOKEN = label('Tessera v1 delivery token')
/** Sender-key message key from the chain's seed and the message's random nonce (replaces "... message keys", decision 0016). */
export const LABEL_SENDER_KEY_BODY_KEY = label('Tessera v1 sender key message body key')
export const LABEL_SENDER_KEY_SIGNATURE = label('Tessera v1 sender key message')
export const LABEL_SAFETY_NUMBER = label('Tessera v1 safety number')
export const LABEL_FRANKING = label('Tessera v1 franking')
