import { createSignal, onCleanup } from 'solid-js'

export const ROUTES = ['#/chats', '#/settings', '#/about'] as const
export type Route = (typeof ROUTES)[number]

const toRoute = (hash: string): Route => ((ROUTES as readonly string[]).includes(hash) ? (hash as Route) : '#/chats')

/** The current view, kept in the URL hash so the shell can tell which view asks for a permission. */
export function createRoute() {
  const [route, setRoute] = createSignal<Route>(toRoute(window.location.hash))
  const onHashChange = () => setRoute(toRoute(window.location.hash))
  window.addEventListener('hashchange', onHashChange)
  onCleanup(() => window.removeEventListener('hashchange', onHashChange))
  const navigate = (next: string) => {
    window.location.hash = toRoute(next)
  }
  return { route, navigate }
}
