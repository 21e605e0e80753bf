import { For } from 'solid-js'

export interface NavItem {
  readonly route: string
  readonly label: string
}

export interface NavRailProps {
  readonly items: readonly NavItem[]
  readonly current: string
  readonly onSelect: (route: string) => void
}

export function NavRail(props: NavRailProps) {
  return (
    <nav class="nav-rail" aria-label="Main">
      <div class="brand" aria-hidden="true">
        <span class="tile a" />
        <span class="tile b" />
        <span class="tile c" />
        <span class="tile d" />
      </div>
      <For each={props.items}>
        {(item) => (
          <button
            type="button"
            class="nav-item"
            classList={{ active: props.current === item.route }}
            aria-current={props.current === item.route ? 'page' : undefined}
            onClick={() => props.onSelect(item.route)}
          >
            {item.label}
          </button>
        )}
      </For>
    </nav>
  )
}
