import electronUpdater from 'electron-updater'
import type { Logger } from '../core/log/logger'

/**
 * Checks GitHub releases (electron-builder.yml `publish`) for a newer signed
 * build and notifies the user. Only packaged builds update: a dev run has
 * no app-update.yml.
 */
export function checkForUpdates(isPackaged: boolean, log: Logger): void {
  if (!isPackaged) return
  electronUpdater.autoUpdater.checkForUpdatesAndNotify().catch((error: unknown) => {
    log.warn('update-check-failed', { error: error instanceof Error ? error.name : 'unknown' })
  })
}
