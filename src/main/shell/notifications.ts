import { Notification } from 'electron'
import type { NotificationPayload } from '../../shared/api/contract'

/**
 * Shows the contract event `notificationRequested` as a native notification.
 * What the text may contain (sender only, or a preview) was decided by the
 * core from the user's settings before the event was emitted.
 */
export function showNativeNotification(payload: NotificationPayload, onClick: () => void): boolean {
  if (!Notification.isSupported()) return false
  const notification = new Notification({ title: payload.title, body: payload.body, silent: false })
  notification.on('click', onClick)
  notification.show()
  return true
}
