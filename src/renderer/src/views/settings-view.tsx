import { Show } from 'solid-js'
import type { Settings, SettingsPatch } from '../../../shared/api/settings'

export interface SettingsViewProps {
  readonly settings: Settings | undefined
  readonly saving: boolean
  readonly onChange: (patch: SettingsPatch) => void
}

export function SettingsView(props: SettingsViewProps) {
  return (
    <section class="view" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <Show when={props.settings} fallback={<p class="muted">Loading…</p>}>
        {(settings) => (
          <form class="settings" onSubmit={(event) => event.preventDefault()}>
            <label>
              Theme
              <select
                data-testid="setting-theme"
                value={settings().theme}
                onChange={(event) => props.onChange({ theme: event.currentTarget.value as Settings['theme'] })}
              >
                <option value="system">Follow the system</option>
                <option value="light">Light</option>
                <option value="dark">Dark</option>
              </select>
            </label>
            <label>
              Notifications
              <select
                data-testid="setting-notifications"
                value={settings().notifications}
                onChange={(event) =>
                  props.onChange({ notifications: event.currentTarget.value as Settings['notifications'] })
                }
              >
                <option value="off">Off</option>
                <option value="sender-only">Sender only</option>
                <option value="sender-and-preview">Sender and message preview</option>
              </select>
            </label>
            <label class="inline">
              <input
                type="checkbox"
                data-testid="setting-tray"
                checked={settings().minimizeToTray}
                onChange={(event) => props.onChange({ minimizeToTray: event.currentTarget.checked })}
              />
              Keep running in the tray when the window is closed
            </label>
            <p class="muted" aria-live="polite">
              {props.saving ? 'Saving…' : 'Saved on this device.'}
            </p>
          </form>
        )}
      </Show>
    </section>
  )
}
