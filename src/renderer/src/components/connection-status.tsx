import { For, Show } from 'solid-js'
import type { RelayConnectionStatus, SyncBacklogProgress } from '../../../shared/api/sync-status'

export interface ConnectionStatusProps {
  readonly connections: readonly RelayConnectionStatus[]
  readonly progress: Readonly<Record<string, SyncBacklogProgress>>
}

function describe(status: RelayConnectionStatus, progress: SyncBacklogProgress | undefined): string {
  switch (status.state) {
    case 'online':
      return progress?.remaining ? `Catching up: ${progress.remaining} waiting` : 'Up to date'
    case 'waiting':
      return status.nextRetryMs === undefined ? 'Offline' : `Offline, retrying in ${Math.ceil(status.nextRetryMs / 1000)} s`
    case 'offline':
      return 'Offline'
    default:
      return 'Connecting…'
  }
}

/** One line per relay the account uses, at the foot of the navigation. */
export function ConnectionStatus(props: ConnectionStatusProps) {
  return (
    <Show when={props.connections.length > 0}>
      <ul class="connection-status" aria-label="Relays" aria-live="polite">
        <For each={props.connections}>
          {(status) => (
            <li data-testid="relay-status" data-state={status.state} title={status.relayUrl}>
              <span class="dot" classList={{ online: status.state === 'online' }} aria-hidden="true" />
              {describe(status, props.progress[status.relayUrl])}
            </li>
          )}
        </For>
      </ul>
    </Show>
  )
}
