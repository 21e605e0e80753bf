import { mkdir } from 'node:fs/promises'
import type { AppInfo, TesseraContract } from '../../shared/api/contract'
import { tesseraContract } from '../../shared/api/contract'
import type { Dispatcher } from './api/dispatcher'
import { createDispatcher } from './api/dispatcher'
import { EventHub } from './api/event-hub'
import { createHandlers } from './api/handlers'
import type { Logger } from './log/logger'
import type { PlatformPort } from './platform/platform-port'
import { SettingsStore } from './settings/settings-store'

export interface CoreOptions {
  readonly profileDir: string
  readonly appInfo: AppInfo
  readonly platform: PlatformPort
  readonly log: Logger
}

/** The composed core: what every transport needs, and one dispose for all of it. */
export interface Core {
  readonly dispatcher: Dispatcher
  readonly events: EventHub<TesseraContract>
  dispose(): Promise<void>
}

/**
 * Wires the core once, without a container: explicit constructor arguments,
 * no module-level singletons (docs/architecture.md, "Wiring").
 */
export async function composeCore(options: CoreOptions): Promise<Core> {
  // 0700: the profile holds the encrypted database, wrapped keys and settings.
  await mkdir(options.profileDir, { recursive: true, mode: 0o700 })
  const events = new EventHub<TesseraContract>()
  const settings = new SettingsStore(options.profileDir, options.log)
  const handlers = createHandlers({ appInfo: options.appInfo, settings, events, platform: options.platform })
  const dispatcher = createDispatcher(tesseraContract, handlers, options.log)
  return {
    dispatcher,
    events,
    dispose: async () => events.dispose()
  }
}
