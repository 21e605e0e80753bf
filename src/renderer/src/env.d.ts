import type { BridgeApi } from '../../shared/api/contract-kit'
import type { TesseraContract } from '../../shared/api/contract'

declare global {
  interface Window {
    /** Installed by the preload (Electron) or the test host's shim; the renderer's only way to main. */
    readonly tessera: BridgeApi<TesseraContract>
  }
}
