import { CHALLENGE_BYTES, ED25519_PUBLIC_KEY_BYTES, MAILBOX_ID_BYTES, MAX_U64, SHA256_BYTES } from './constants'

/**
 * The exact byte strings that are signed with Ed25519 (RFC 8032, pure
 * Ed25519, no prehash) in the relay protocol (docs/relay-protocol.md section 3).
 * Each starts with a distinct ASCII label and a 0x00, then fixed-length fields
 * (and one trailing length-prefixed field), so no signature over one kind of
 * message verifies as another kind.
 */

const LABELS = {
  create: 'tessera-relay-v1/create-mailbox',
  auth: 'tessera-relay-v1/authenticate',
  receiptLeaf: 'tessera-relay-v1/receipt',
  receiptRoot: 'tessera-relay-v1/receipt-root',
  deviceList: 'tessera-relay-v1/device-list'
} as const

function assertLength(bytes: Uint8Array, length: number, name: string): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) throw new RangeError(`${name} must be ${length} bytes`)
}

function concat(label: string, parts: Uint8Array[]): Uint8Array {
  let size = label.length + 1
  for (const part of parts) size += part.length
  const out = new Uint8Array(size)
  for (let i = 0; i < label.length; i++) out[i] = label.charCodeAt(i)
  let offset = label.length + 1 // the 0x00 separator is already zero
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

function u64(value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > MAX_U64) throw new RangeError('u64 out of range')
  const out = new Uint8Array(8)
  const view = new DataView(out.buffer)
  view.setUint32(0, Math.floor(value / 0x1_0000_0000))
  view.setUint32(4, value % 0x1_0000_0000)
  return out
}

function u32(value: number): Uint8Array {
  const out = new Uint8Array(4)
  new DataView(out.buffer).setUint32(0, value)
  return out
}

/** Section 3.1: proves possession of the owner key when a mailbox is created on this connection. */
export function createMailboxMessage(
  relayKey: Uint8Array,
  challenge: Uint8Array,
  mailboxId: Uint8Array,
  ownerKey: Uint8Array,
  deliveryTokenHash: Uint8Array
): Uint8Array {
  assertLength(relayKey, ED25519_PUBLIC_KEY_BYTES, 'relayKey')
  assertLength(challenge, CHALLENGE_BYTES, 'challenge')
  assertLength(mailboxId, MAILBOX_ID_BYTES, 'mailboxId')
  assertLength(ownerKey, ED25519_PUBLIC_KEY_BYTES, 'ownerKey')
  assertLength(deliveryTokenHash, SHA256_BYTES, 'deliveryTokenHash')
  return concat(LABELS.create, [relayKey, challenge, mailboxId, ownerKey, deliveryTokenHash])
}

/** Section 3.2: the challenge response that authenticates a connection as a mailbox's owner. */
export function authenticateMessage(relayKey: Uint8Array, challenge: Uint8Array, mailboxId: Uint8Array): Uint8Array {
  assertLength(relayKey, ED25519_PUBLIC_KEY_BYTES, 'relayKey')
  assertLength(challenge, CHALLENGE_BYTES, 'challenge')
  assertLength(mailboxId, MAILBOX_ID_BYTES, 'mailboxId')
  return concat(LABELS.auth, [relayKey, challenge, mailboxId])
}

/**
 * Section 3.3: the receipt leaf for one accepted envelope: SHA-256(envelope),
 * mailbox and receive time. Leaves are hashed into a Merkle tree (merkle.ts).
 */
export function receiptLeaf(envelopeHash: Uint8Array, mailboxId: Uint8Array, receivedAt: number): Uint8Array {
  const out = new Uint8Array(RECEIPT_LEAF_BYTES)
  writeReceiptLeaf(out, 0, envelopeHash, mailboxId, receivedAt)
  return out
}

/**
 * Writes the bytes of receiptLeaf(...) into `target` at `offset` (the relay
 * builds one leaf per envelope in a reused buffer); returns the leaf's length.
 */
export function writeReceiptLeaf(target: Uint8Array, offset: number, envelopeHash: Uint8Array, mailboxId: Uint8Array, receivedAt: number): number {
  assertLength(envelopeHash, SHA256_BYTES, 'envelopeHash')
  assertLength(mailboxId, MAILBOX_ID_BYTES, 'mailboxId')
  if (!Number.isInteger(receivedAt) || receivedAt < 0 || receivedAt > MAX_U64) throw new RangeError('u64 out of range')
  if (target.length - offset < RECEIPT_LEAF_BYTES) throw new RangeError('receipt leaf does not fit')
  // Same bytes as concat(label, [envelopeHash, mailboxId, u64(receivedAt)]).
  target.set(RECEIPT_LEAF_PREFIX, offset)
  let at = offset + RECEIPT_LEAF_PREFIX.length
  target.set(envelopeHash, at)
  target.set(mailboxId, (at += SHA256_BYTES))
  at += MAILBOX_ID_BYTES
  const high = Math.floor(receivedAt / 0x1_0000_0000)
  const low = receivedAt % 0x1_0000_0000
  for (let i = 0; i < 4; i++) {
    target[at + i] = (high >>> (24 - 8 * i)) & 0xff
    target[at + 4 + i] = (low >>> (24 - 8 * i)) & 0xff
  }
  return RECEIPT_LEAF_BYTES
}

/** The receipt leaf's label and 0x00 separator, encoded once. */
const RECEIPT_LEAF_PREFIX = concat(LABELS.receiptLeaf, [])
/** Bytes of a receipt leaf. */
export const RECEIPT_LEAF_BYTES = RECEIPT_LEAF_PREFIX.length + SHA256_BYTES + MAILBOX_ID_BYTES + 8

/** Section 3.3: what the relay signs once per group commit: the tree root and its size. */
export function receiptRootMessage(root: Uint8Array, treeSize: number): Uint8Array {
  assertLength(root, SHA256_BYTES, 'root')
  if (!Number.isInteger(treeSize) || treeSize < 1 || treeSize > 0xffffffff) throw new RangeError('treeSize must be a u32 >= 1')
  return concat(LABELS.receiptRoot, [root, u32(treeSize)])
}

/** Section 3.4: a device list signed by the mailbox owner key; the relay checks it, never parses `list`. */
export function deviceListMessage(mailboxId: Uint8Array, version: number, list: Uint8Array): Uint8Array {
  assertLength(mailboxId, MAILBOX_ID_BYTES, 'mailboxId')
  return concat(LABELS.deviceList, [mailboxId, u64(version), u32(list.length), list])
}
