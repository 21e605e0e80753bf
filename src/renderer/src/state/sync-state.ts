import { createStore } from 'solid-js/store'
import type { RelayConnectionStatus, SyncBacklogProgress } from '../../../shared/api/sync-status'
import { tesseraApi } from '../api'

export interface SyncModel {
  /** The latest status per relay URL. */
  connections: Record<string, RelayConnectionStatus>
  /** The latest backlog progress per relay URL. */
  progress: Record<string, SyncBacklogProgress>
}

/** Connection and backlog state, fed only by contract events: the UI never blocks on the backlog. */
export function createSyncState() {
  const api = tesseraApi()
  const [state, setState] = createStore<SyncModel>({ connections: {}, progress: {} })
  const unsubscribers = [
    api.onConnectionStateChanged((status) => setState('connections', status.relayUrl, status)),
    api.onSyncProgress((progress) => setState('progress', progress.relayUrl, progress))
  ]
  return { state, dispose: () => unsubscribers.forEach((unsubscribe) => unsubscribe()) }
}

export type SyncStateModule = ReturnType<typeof createSyncState>
