import { createStore } from 'solid-js/store'
import type { LockState } from '../../../shared/api/lock-state'
import type { ApiError } from '../../../shared/api/result'
import { tesseraApi } from '../api'

export interface LockModel {
  lock: LockState | undefined
  /** Shown once right after set-up, until the user says it is written down; never stored anywhere else. */
  recoveryKeyToShow: string | undefined
  busy: boolean
  error: ApiError | undefined
}

/** Whether the profile's encrypted store is open, and the actions that open it. */
export function createLockState() {
  const api = tesseraApi()
  const [state, setState] = createStore<LockModel>({ lock: undefined, recoveryKeyToShow: undefined, busy: false, error: undefined })

  async function run<T>(call: () => Promise<{ ok: true; value: T } | { ok: false; error: ApiError }>, onValue: (value: T) => void) {
    setState({ busy: true, error: undefined })
    const result = await call()
    setState('busy', false)
    if (result.ok) onValue(result.value)
    else setState('error', result.error)
  }

  const setLock = (lock: LockState) => setState('lock', lock)

  return {
    state,
    load: () => run(() => api.getLockState(), setLock),
    setUp: () =>
      run(
        () => api.setUpProfile(),
        ({ recoveryKey }) => setState('recoveryKeyToShow', recoveryKey)
      ),
    confirmRecoveryKeySaved: () => setState('recoveryKeyToShow', undefined),
    retryKeychain: () => run(() => api.retryUnlock(), setLock),
    unlockWithRecoveryKey: (recoveryKey: string) => run(() => api.unlockWithRecoveryKey({ recoveryKey }), setLock),
    unlockWithPassphrase: (passphrase: string) => run(() => api.unlockWithPassphrase({ passphrase }), setLock),
    dispose: api.onLockStateChanged(setLock)
  }
}

export type LockStateModule = ReturnType<typeof createLockState>
