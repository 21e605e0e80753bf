import type { NativeImage } from 'electron'
import { Menu, Tray } from 'electron'

export interface TrayActions {
  readonly showWindow: () => void
  readonly quit: () => void
}

/** The tray icon: opens the window, shows the unread count, quits. */
export class AppTray {
  private readonly tray: Tray

  constructor(
    icon: NativeImage,
    private readonly productName: string,
    actions: TrayActions
  ) {
    this.tray = new Tray(icon)
    this.tray.setToolTip(productName)
    this.tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: `Open ${productName}`, click: actions.showWindow },
        { type: 'separator' },
        { label: 'Quit', click: actions.quit }
      ])
    )
    this.tray.on('click', actions.showWindow)
  }

  /** Driven by the contract event `unreadCountChanged`. */
  setUnreadCount(count: number): void {
    this.tray.setToolTip(count > 0 ? `${this.productName} (${count} unread)` : this.productName)
    if (process.platform === 'darwin') this.tray.setTitle(count > 0 ? String(count) : '')
  }

  dispose(): void {
    this.tray.destroy()
  }
}
