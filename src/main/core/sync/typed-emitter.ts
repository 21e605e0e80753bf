// A minimal typed event emitter: `on` returns its own unsubscribe function
// (the project's `onX` convention), and a throwing listener cannot break the
// emitter or the listeners after it.

type Listener<T> = (payload: T) => void

export class TypedEmitter<EventMap extends object> {
  private readonly listeners = new Map<keyof EventMap, Set<Listener<never>>>()

  /** `onListenerError` receives what a listener threw; the default reports it on stderr. */
  constructor(private readonly onListenerError: (error: unknown) => void = (error) => console.error('event listener failed:', error)) {}

  on<K extends keyof EventMap>(name: K, listener: Listener<EventMap[K]>): () => void {
    let set = this.listeners.get(name)
    if (set === undefined) {
      set = new Set()
      this.listeners.set(name, set)
    }
    set.add(listener as Listener<never>)
    return () => {
      set.delete(listener as Listener<never>)
    }
  }

  emit<K extends keyof EventMap>(name: K, payload: EventMap[K]): void {
    const set = this.listeners.get(name)
    if (set === undefined) return
    for (const listener of [...set]) {
      try {
        ;(listener as Listener<EventMap[K]>)(payload)
      } catch (error) {
        // A UI listener's bug must not stop sync or the listeners after it.
        this.onListenerError(error)
      }
    }
  }

  listenerCount(name: keyof EventMap): number {
    return this.listeners.get(name)?.size ?? 0
  }
}
