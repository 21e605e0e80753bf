import { Match, Switch } from 'solid-js'
import { ConnectionStatus } from './components/connection-status'
import { ErrorBanner } from './components/error-banner'
import { NavRail } from './components/nav-rail'
import type { AppStateModule } from './state/app-state'
import type { SyncStateModule } from './state/sync-state'
import { createRoute } from './state/route'
import { AboutView } from './views/about-view'
import { ChatsView } from './views/chats-view'
import { SettingsView } from './views/settings-view'

const NAV_ITEMS = [
  { route: '#/chats', label: 'Chats' },
  { route: '#/settings', label: 'Settings' },
  { route: '#/about', label: 'About' }
] as const

/** The unlocked app: navigation and the current view. */
export function Workspace(props: { readonly app: AppStateModule; readonly sync: SyncStateModule }) {
  const { route, navigate } = createRoute()
  return (
    <div class="app">
      <div class="sidebar">
        <NavRail items={NAV_ITEMS} current={route()} onSelect={navigate} />
        <ConnectionStatus connections={Object.values(props.sync.state.connections)} progress={props.sync.state.progress} />
      </div>
      <main class="content">
        <ErrorBanner error={props.app.state.error} />
        <Switch>
          <Match when={route() === '#/chats'}>
            <ChatsView />
          </Match>
          <Match when={route() === '#/settings'}>
            <SettingsView settings={props.app.state.settings} saving={props.app.state.saving} onChange={props.app.updateSettings} />
          </Match>
          <Match when={route() === '#/about'}>
            <AboutView info={props.app.state.info} />
          </Match>
        </Switch>
      </main>
    </div>
  )
}
