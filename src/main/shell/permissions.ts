import type { Session } from 'electron'
import type { AppOrigin } from './app-origin'

/** The only view that may use the camera: scanning a device-linking QR code. */
export const DEVICE_LINKING_ROUTE = '#/link-device'

/**
 * Every permission request is denied, except video capture ('media' with
 * video only) from the app's own device-linking view. Notifications are
 * shown by the main process, so the page never needs that permission.
 */
export function isPermissionAllowed(
  origin: AppOrigin,
  permission: string,
  requestingUrl: string,
  mediaTypes: readonly string[] | undefined
): boolean {
  if (permission !== 'media') return false
  if (!origin.isAppUrl(requestingUrl)) return false
  if (!requestingUrl.endsWith(DEVICE_LINKING_ROUTE)) return false
  return (mediaTypes ?? []).length > 0 && (mediaTypes ?? []).every((type) => type === 'video')
}

export function installPermissionPolicy(session: Session, origin: AppOrigin): void {
  session.setPermissionRequestHandler((webContents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined
    callback(isPermissionAllowed(origin, permission, webContents.getURL(), mediaTypes))
  })
  // Checks (as opposed to requests) are answered the same way, without media types: deny all but camera checks.
  session.setPermissionCheckHandler((webContents, permission, requestingOrigin) => {
    if (permission !== 'media' || !webContents) return false
    return origin.isAppUrl(webContents.getURL()) && webContents.getURL().endsWith(DEVICE_LINKING_ROUTE) && Boolean(requestingOrigin)
  })
}
