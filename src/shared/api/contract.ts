import { z } from 'zod'
import { event, method, typeOnly } from './contract-kit'
import type { LockState } from './lock-state'
import type { Settings } from './settings'
import type { OutgoingMessageStatus, RelayConnectionStatus, SyncBacklogProgress } from './sync-status'
import { settingsPatchSchema } from './settings'

/** What the About view shows; nothing here is secret. */
export interface AppInfo {
  readonly name: string
  readonly version: string
  readonly platform: string
  readonly arch: string
  /** The `--profile NAME` the app was started with; 'default' otherwise. */
  readonly profile: string
  /** 'electron' in the app; 'test-host' when the core runs under Node behind the WebSocket transport. */
  readonly runtime: 'electron' | 'test-host'
}

export interface NotificationPayload {
  readonly title: string
  readonly body: string
}

/**
 * THE contract between renderer and main: every method and every event, once.
 * The preload (src/preload), the IPC host (src/main/shell/ipc-host.ts) and the
 * test host (tests/host) are generated from this table. Add a method here and
 * a handler in src/main/core/api/handlers.ts; nothing else changes.
 */
export const tesseraContract = {
  methods: {
    getAppInfo: method({
      summary: 'Name, version, platform and profile of the running app.',
      input: z.undefined(),
      output: typeOnly<AppInfo>()
    }),
    getSettings: method({
      summary: 'The current settings of this profile.',
      input: z.undefined(),
      output: typeOnly<Settings>()
    }),
    updateSettings: method({
      summary: 'Change some settings; returns the settings as stored.',
      input: settingsPatchSchema,
      output: typeOnly<Settings>()
    }),
    getLockState: method({
      summary: 'Whether the encrypted store is open, and if not, what the user can do.',
      input: z.undefined(),
      output: typeOnly<LockState>()
    }),
    setUpProfile: method({
      summary: 'First run: create the database key and the recovery key, which is returned once to be written down.',
      input: z.undefined(),
      output: typeOnly<{ readonly recoveryKey: string; readonly keychainStored: boolean }>()
    }),
    retryUnlock: method({
      summary: 'Try the OS keychain again (after the user unlocked it).',
      input: z.undefined(),
      output: typeOnly<LockState>()
    }),
    unlockWithRecoveryKey: method({
      summary: 'Open the store with the recovery key; puts the key back into the keychain.',
      input: z.object({ recoveryKey: z.string().max(200) }).strict(),
      output: typeOnly<LockState>()
    }),
    unlockWithPassphrase: method({
      summary: 'Open the store with the app-lock passphrase.',
      input: z.object({ passphrase: z.string().min(1).max(1024) }).strict(),
      output: typeOnly<LockState>()
    }),
    openExternalLink: method({
      summary: 'Open an https link in the system browser after the user confirms.',
      input: z.object({ url: z.string().max(4096) }).strict(),
      output: typeOnly<{ readonly opened: boolean }>()
    })
  },
  events: {
    settingsChanged: event<Settings>('The settings changed (from any window).'),
    lockStateChanged: event<LockState>('The store was opened, or what unlocking needs changed.'),
    connectionStateChanged: event<RelayConnectionStatus>('A relay connection changed state (connecting, online, waiting to retry, ...).'),
    syncProgress: event<SyncBacklogProgress>('Progress through the backlog a relay held for us (after a week offline, say).'),
    outboxStatusChanged: event<OutgoingMessageStatus>('A queued outgoing message was sent, or failed for good.'),
    unreadCountChanged: event<{ readonly count: number }>('Unread messages across all conversations; drives the tray badge.'),
    notificationRequested: event<NotificationPayload>('Something the user should notice; the shell shows a native notification.')
  }
} as const

export type TesseraContract = typeof tesseraContract
