import { Match, Switch, createEffect, onCleanup, onMount } from 'solid-js'
import type { LockState } from '../../shared/api/lock-state'
import { ErrorBanner } from './components/error-banner'
import { createAppState } from './state/app-state'
import { createLockState } from './state/lock-state'
import { createSyncState } from './state/sync-state'
import { RecoveryKeyView } from './views/recovery-key-view'
import { UnlockView } from './views/unlock-view'
import { WelcomeView } from './views/welcome-view'
import { Workspace } from './workspace'

type LockedState = Exclude<LockState, { state: 'unlocked' } | { state: 'needs-setup' }>

/** Top level: set-up, unlock, the one-time recovery key, or the workspace, by lock state. */
export function App() {
  const app = createAppState()
  const lock = createLockState()
  const sync = createSyncState()
  onMount(() => {
    void app.load()
    void lock.load()
  })
  onCleanup(() => {
    app.dispose()
    lock.dispose()
    sync.dispose()
  })
  // The theme is a document-level attribute, so CSS can follow it without prop drilling.
  createEffect(() => {
    document.documentElement.dataset['theme'] = app.state.settings?.theme ?? 'system'
  })
  const locked = (): LockedState | undefined => {
    const current = lock.state.lock
    return current && current.state !== 'unlocked' && current.state !== 'needs-setup' ? current : undefined
  }

  return (
    <>
      <ErrorBanner error={lock.state.error} />
      <Switch fallback={<p class="muted loading">Opening Tessera…</p>}>
        <Match when={lock.state.recoveryKeyToShow}>
          {(recoveryKey) => <RecoveryKeyView recoveryKey={recoveryKey()} onSaved={lock.confirmRecoveryKeySaved} />}
        </Match>
        <Match when={lock.state.lock?.state === 'needs-setup'}>
          <WelcomeView busy={lock.state.busy} onCreate={lock.setUp} />
        </Match>
        <Match when={locked()}>
          {(state) => (
            <UnlockView
              lock={state()}
              busy={lock.state.busy}
              onRetryKeychain={lock.retryKeychain}
              onRecoveryKey={lock.unlockWithRecoveryKey}
              onPassphrase={lock.unlockWithPassphrase}
            />
          )}
        </Match>
        <Match when={lock.state.lock?.state === 'unlocked'}>
          <Workspace app={app} sync={sync} />
        </Match>
      </Switch>
    </>
  )
}
