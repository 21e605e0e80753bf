import type { BridgeApi, ContractTable } from './contract-kit'
import { subscriptionName } from './contract-kit'
import type { Result } from './result'

/** How a transport sends one call and listens to one event. */
export interface BridgeTransport {
  call(methodName: string, input: unknown): Promise<Result<unknown>>
  subscribe(eventName: string, handler: (payload: unknown) => void): () => void
}

/**
 * Builds the object exposed as `window.tessera`: exactly one named function
 * per contract method and one `onX` per event, each bound to its own name.
 * There is deliberately no generic `invoke(name)` on the result.
 */
export function buildBridgeApi<C extends ContractTable>(contract: C, transport: BridgeTransport): BridgeApi<C> {
  const api: Record<string, unknown> = {}
  for (const methodName of Object.keys(contract.methods)) {
    api[methodName] = (input?: unknown) => transport.call(methodName, input)
  }
  for (const eventName of Object.keys(contract.events)) {
    api[subscriptionName(eventName)] = (handler: (payload: unknown) => void) => {
      if (typeof handler !== 'function') throw new TypeError(`${subscriptionName(eventName)} needs a function`)
      return transport.subscribe(eventName, handler)
    }
  }
  return Object.freeze(api) as BridgeApi<C>
}
