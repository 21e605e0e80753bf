import type { TesseraContract } from '../../../shared/api/contract'
import type { SyncEvents } from '../sync/sync-events'
import type { EventHub } from './event-hub'

/**
 * Forwards the sync engine's events to the contract's events, one to one.
 * The payload types are declared twice on purpose: the engine's in
 * core/sync (what it knows), the contract's in shared (what the UI may see);
 * this file is where the compiler checks that the first fits the second.
 */
export function forwardSyncEvents(sync: SyncEvents, hub: EventHub<TesseraContract>): () => void {
  const unsubscribers = [
    sync.on('connectionStateChanged', (status) => hub.emit('connectionStateChanged', status)),
    sync.on('syncProgress', (progress) => hub.emit('syncProgress', progress)),
    sync.on('outboxStatusChanged', (status) => hub.emit('outboxStatusChanged', status))
  ]
  return () => unsubscribers.forEach((unsubscribe) => unsubscribe())
}
