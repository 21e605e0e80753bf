import type { AppInfo, TesseraContract } from '../../../shared/api/contract'
import type { ContractHandlers } from '../../../shared/api/contract-kit'
import type { PlatformPort } from '../platform/platform-port'
import { parseExternalLink } from '../platform/external-link'
import type { SettingsStore } from '../settings/settings-store'
import type { ProfileUnlocker } from '../unlock/profile-unlocker'
import type { EventHub } from './event-hub'

export interface HandlerDeps {
  readonly appInfo: AppInfo
  readonly settings: SettingsStore
  readonly events: EventHub<TesseraContract>
  readonly platform: PlatformPort
  readonly unlocker: ProfileUnlocker
}

/** One handler per contract method; the type makes a missing or extra handler a compile error. */
export function createHandlers(deps: HandlerDeps): ContractHandlers<TesseraContract> {
  return {
    getAppInfo: async () => deps.appInfo,
    getSettings: async () => deps.settings.get(),
    updateSettings: async (patch) => {
      const settings = await deps.settings.update(patch)
      deps.events.emit('settingsChanged', settings)
      return settings
    },
    getLockState: async () => deps.unlocker.state,
    setUpProfile: async () => deps.unlocker.setUp(),
    retryUnlock: async () => deps.unlocker.unlock(),
    unlockWithRecoveryKey: async ({ recoveryKey }) => deps.unlocker.unlockWithRecoveryKey(recoveryKey),
    unlockWithPassphrase: async ({ passphrase }) => deps.unlocker.unlockWithPassphrase(passphrase),
    openExternalLink: async ({ url }) => {
      const link = parseExternalLink(url)
      return { opened: await deps.platform.confirmAndOpenExternal(link.href) }
    }
  }
}
