import type { BridgeApi } from '../../shared/api/contract-kit'
import type { TesseraContract } from '../../shared/api/contract'

/**
 * The contract surface, for state modules only (components never call it:
 * they get data and callbacks as props).
 */
export function tesseraApi(): BridgeApi<TesseraContract> {
  if (!window.tessera) throw new Error('window.tessera is missing: the page was opened outside Tessera.')
  return window.tessera
}
