import { createStore } from 'solid-js/store'
import type { AppInfo } from '../../../shared/api/contract'
import type { ApiError } from '../../../shared/api/result'
import type { Settings, SettingsPatch } from '../../../shared/api/settings'
import { tesseraApi } from '../api'

export interface AppState {
  info: AppInfo | undefined
  settings: Settings | undefined
  error: ApiError | undefined
  saving: boolean
}

/** App-wide state: who we are (app info) and the profile's settings. */
export function createAppState() {
  const [state, setState] = createStore<AppState>({ info: undefined, settings: undefined, error: undefined, saving: false })
  const api = tesseraApi()

  async function load(): Promise<void> {
    const [info, settings] = await Promise.all([api.getAppInfo(), api.getSettings()])
    if (info.ok) setState('info', info.value)
    if (settings.ok) setState('settings', settings.value)
    const failure = !info.ok ? info.error : !settings.ok ? settings.error : undefined
    setState('error', failure)
  }

  async function updateSettings(patch: SettingsPatch): Promise<void> {
    setState('saving', true)
    const result = await api.updateSettings(patch)
    setState({ saving: false, error: result.ok ? undefined : result.error })
    if (result.ok) setState('settings', result.value)
  }

  const unsubscribe = api.onSettingsChanged((settings) => setState('settings', settings))

  return { state, load, updateSettings, dispose: unsubscribe }
}

export type AppStateModule = ReturnType<typeof createAppState>
