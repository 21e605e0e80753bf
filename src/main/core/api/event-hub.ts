import type { ContractTable, EventName, EventPayload } from '../../../shared/api/contract-kit'

type AnyListener = (eventName: string, payload: unknown) => void

/**
 * Main-to-renderer events, emitted by the core and fanned out by each
 * transport (Electron windows, the test host's sockets, the tray and
 * notifications in the shell). Emitting never throws into the emitter.
 */
export class EventHub<C extends ContractTable> {
  private readonly listeners = new Set<AnyListener>()

  emit<E extends EventName<C>>(eventName: E, payload: EventPayload<C['events'][E]>): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(eventName, payload)
      } catch {
        // A broken listener (a closed window, a dead socket) must not stop the others.
      }
    }
  }

  /** Every event, for transports that forward all of them. */
  subscribeAll(listener: AnyListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  subscribe<E extends EventName<C>>(eventName: E, handler: (payload: EventPayload<C['events'][E]>) => void): () => void {
    return this.subscribeAll((name, payload) => {
      if (name === eventName) handler(payload as EventPayload<C['events'][E]>)
    })
  }

  dispose(): void {
    this.listeners.clear()
  }
}
