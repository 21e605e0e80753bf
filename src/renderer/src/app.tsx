import { Match, Switch, createEffect, onCleanup, onMount } from 'solid-js'
import { ErrorBanner } from './components/error-banner'
import { NavRail } from './components/nav-rail'
import { createAppState } from './state/app-state'
import { createRoute } from './state/route'
import { AboutView } from './views/about-view'
import { ChatsView } from './views/chats-view'
import { SettingsView } from './views/settings-view'

const NAV_ITEMS = [
  { route: '#/chats', label: 'Chats' },
  { route: '#/settings', label: 'Settings' },
  { route: '#/about', label: 'About' }
] as const

export function App() {
  const app = createAppState()
  const { route, navigate } = createRoute()
  onMount(() => void app.load())
  onCleanup(app.dispose)
  // The theme is a document-level attribute, so CSS can follow it without prop drilling.
  createEffect(() => {
    document.documentElement.dataset['theme'] = app.state.settings?.theme ?? 'system'
  })

  return (
    <div class="app">
      <NavRail items={NAV_ITEMS} current={route()} onSelect={navigate} />
      <main class="content">
        <ErrorBanner error={app.state.error} />
        <Switch>
          <Match when={route() === '#/chats'}>
            <ChatsView />
          </Match>
          <Match when={route() === '#/settings'}>
            <SettingsView settings={app.state.settings} saving={app.state.saving} onChange={app.updateSettings} />
          </Match>
          <Match when={route() === '#/about'}>
            <AboutView info={app.state.info} />
          </Match>
        </Switch>
      </main>
    </div>
  )
}
