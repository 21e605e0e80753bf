import type { BrowserWindow } from 'electron'
import { dialog, shell } from 'electron'

/**
 * The platform half of openExternalLink: the core has already checked that
 * the URL is https; here the user sees the full URL and decides.
 */
export async function confirmAndOpenExternal(parent: BrowserWindow | undefined, url: string): Promise<boolean> {
  const options = {
    type: 'question' as const,
    buttons: ['Open link', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    title: 'Open link in your browser?',
    message: 'Open this link in your browser?',
    detail: url
  }
  const { response } = parent ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options)
  if (response !== 0) return false
  await shell.openExternal(url)
  return true
}
