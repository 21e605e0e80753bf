import type { Migration } from './migration'

/**
 * Relay receipts gained a Merkle inclusion proof (RFC 9162 section 2.1.3;
 * docs/relay-protocol.md 3.3): the leaf index, the tree size and the audit
 * path, kept with the receipt as report evidence. The path is stored as the
 * concatenation of its 32-byte hashes.
 */
export const migration0009: Migration = {
  version: 9,
  name: 'outbox-receipt-proof',
  up: (db) => {
    db.exec(`
      ALTER TABLE outbox ADD COLUMN receipt_leaf_index INTEGER CHECK (receipt_leaf_index IS NULL OR receipt_leaf_index >= 0);
      ALTER TABLE outbox ADD COLUMN receipt_tree_size INTEGER CHECK (receipt_tree_size IS NULL OR receipt_tree_size > 0);
      ALTER TABLE outbox ADD COLUMN receipt_proof BLOB CHECK (receipt_proof IS NULL OR length(receipt_proof) % 32 = 0);
    `)
  }
}
