/**
 * What the core asks of the host it runs in. The Electron shell implements it
 * with dialogs and shell.openExternal; the test host implements it without a
 * GUI. The core never learns which.
 */
export interface PlatformPort {
  readonly runtime: 'electron' | 'test-host'
  /** Ask the user whether to open `url` (already checked to be https) and open it if they agree. */
  confirmAndOpenExternal(url: string): Promise<boolean>
}
