import type { ContactId } from '../../../shared/ids'
import { asContactId } from '../../../shared/ids'
import type { SqliteDatabase } from './encrypted-database'
import { StoreError } from './store-error'

/**
 * 'changed' means the contact's identity key differs from the one the user
 * verified (or first saw): the UI must show it and hold sending for approval.
 */
export type VerificationState = 'unverified' | 'verified' | 'changed'

export interface Contact {
  readonly id: ContactId
  readonly displayName: string
  readonly identityPublicKey: Uint8Array
  readonly verification: VerificationState
  readonly verifiedAt: number | null
  readonly blocked: boolean
  readonly messageRequest: boolean
  readonly createdAt: number
  readonly updatedAt: number
}

interface ContactRow {
  contact_id: string
  display_name: string
  identity_public_key: Buffer
  verification: string
  verified_at: number | null
  blocked: number
  message_request: number
  created_at: number
  updated_at: number
}

function fromRow(row: ContactRow): Contact {
  return {
    id: row.contact_id as ContactId,
    displayName: row.display_name,
    identityPublicKey: new Uint8Array(row.identity_public_key),
    verification: row.verification as VerificationState,
    verifiedAt: row.verified_at,
    blocked: row.blocked === 1,
    messageRequest: row.message_request === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at
  }
}

export type IdentityKeyOutcome = 'new' | 'same' | 'changed'

/** Contacts and their verification state. */
export class ContactRepository {
  constructor(private readonly db: SqliteDatabase) {}

  get(id: ContactId): Contact | undefined {
    const row = this.db.prepare('SELECT * FROM contacts WHERE contact_id = ?').get(id) as ContactRow | undefined
    return row === undefined ? undefined : fromRow(row)
  }

  list(): Contact[] {
    return (this.db.prepare('SELECT * FROM contacts ORDER BY display_name COLLATE NOCASE, contact_id').all() as ContactRow[]).map(fromRow)
  }

  /**
   * Records the identity key seen for a contact. A key different from the
   * stored one resets verification to 'changed' (a substituted key must be
   * approved again, protocol brief "Identity").
   */
  recordIdentityKey(input: { id: ContactId; displayName: string; identityPublicKey: Uint8Array; messageRequest?: boolean; at: number }): IdentityKeyOutcome {
    asContactId(input.id)
    if (!(input.identityPublicKey instanceof Uint8Array) || input.identityPublicKey.length === 0 || input.identityPublicKey.length > 128) {
      throw new StoreError('invalid-input', 'An identity key is 1-128 bytes.')
    }
    return this.db.transaction((): IdentityKeyOutcome => {
      const current = this.get(input.id)
      if (current === undefined) {
        this.db
          .prepare(`INSERT INTO contacts (contact_id, display_name, identity_public_key, message_request, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?)`)
          .run(input.id, input.displayName, input.identityPublicKey, input.messageRequest === true ? 1 : 0, input.at, input.at)
        return 'new'
      }
      if (Buffer.from(current.identityPublicKey).equals(input.identityPublicKey)) {
        this.db.prepare('UPDATE contacts SET display_name = ?, updated_at = ? WHERE contact_id = ?').run(input.displayName, input.at, input.id)
        return 'same'
      }
      this.db
        .prepare(`UPDATE contacts SET identity_public_key = ?, display_name = ?, verification = 'changed', verified_at = NULL, updated_at = ?
                  WHERE contact_id = ?`)
        .run(input.identityPublicKey, input.displayName, input.at, input.id)
      return 'changed'
    }).immediate()
  }

  /** Marks the current identity key as verified (safety number compared) or back to unverified. */
  setVerification(id: ContactId, state: 'verified' | 'unverified', at: number): void {
    const changes = this.db
      .prepare('UPDATE contacts SET verification = ?, verified_at = ?, updated_at = ? WHERE contact_id = ?')
      .run(state, state === 'verified' ? at : null, at, id).changes
    if (changes === 0) throw new StoreError('not-found', `No contact with id ${id}.`)
  }

  setBlocked(id: ContactId, blocked: boolean, at: number): void {
    const changes = this.db.prepare('UPDATE contacts SET blocked = ?, updated_at = ? WHERE contact_id = ?').run(blocked ? 1 : 0, at, id).changes
    if (changes === 0) throw new StoreError('not-found', `No contact with id ${id}.`)
  }

  /** Accepting a message request turns the sender into an ordinary contact. */
  acceptRequest(id: ContactId, at: number): void {
    const changes = this.db.prepare('UPDATE contacts SET message_request = 0, updated_at = ? WHERE contact_id = ?').run(at, id).changes
    if (changes === 0) throw new StoreError('not-found', `No contact with id ${id}.`)
  }
}
