import type { Migration } from './migration'
import { migration0001 } from './0001-account-devices'
import { migration0002 } from './0002-sessions-prekeys'
import { migration0003 } from './0003-contacts-conversations'
import { migration0004 } from './0004-messages'
import { migration0005 } from './0005-attachments'
import { migration0006 } from './0006-outbox-relay-cursors'
import { migration0007 } from './0007-settings-reports'
import { migration0008 } from './0008-message-search'
import { migration0009 } from './0009-outbox-receipt-proof'
import { migration0010 } from './0010-outbox-due-order'

/** Every migration, in order. Append only. */
export const MIGRATIONS: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
  migration0009,
  migration0010
]

export type { Migration } from './migration'
