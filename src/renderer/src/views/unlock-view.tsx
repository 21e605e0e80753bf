import { Match, Show, Switch, createSignal } from 'solid-js'
import type { LockState, UnlockRejection } from '../../../shared/api/lock-state'

export interface UnlockViewProps {
  readonly lock: Exclude<LockState, { state: 'unlocked' } | { state: 'needs-setup' }>
  readonly busy: boolean
  readonly onRetryKeychain: () => void
  readonly onRecoveryKey: (recoveryKey: string) => void
  readonly onPassphrase: (passphrase: string) => void
}

const REJECTIONS: Record<UnlockRejection, string> = {
  'wrong-length': 'A recovery key has 32 letters and digits.',
  'bad-character': 'A recovery key uses only the letters and digits shown when it was created.',
  'bad-checksum': 'This recovery key has a typo: check it character by character.',
  'wrong-recovery-key': 'This is not the recovery key of this profile.',
  'no-recovery-file': 'This profile has no recovery file, so a recovery key cannot open it.',
  'wrong-passphrase': 'That passphrase is not right.'
}

export function UnlockView(props: UnlockViewProps) {
  const [recoveryKey, setRecoveryKey] = createSignal('')
  const [passphrase, setPassphrase] = createSignal('')
  const rejected = () => ('rejected' in props.lock ? props.lock.rejected : undefined)

  return (
    <section class="view lock-screen" aria-labelledby="unlock-title" data-testid="unlock-view" data-state={props.lock.state}>
      <h1 id="unlock-title">Unlock Tessera</h1>
      <Switch>
        <Match when={props.lock.state === 'keychain-locked'}>
          <p>Your system keychain is locked. Unlock it and try again, or use your recovery key.</p>
          <button type="button" data-testid="retry-keychain" disabled={props.busy} onClick={() => props.onRetryKeychain()}>
            Try the keychain again
          </button>
        </Match>
        <Match when={props.lock.state === 'keychain-unavailable'}>
          <p>No system keychain is available on this computer right now. Your recovery key opens your messages.</p>
        </Match>
        <Match when={props.lock.state === 'needs-recovery-key'}>
          <p>The system keychain no longer has this profile's key. Enter your recovery key; Tessera puts the key back.</p>
        </Match>
        <Match when={props.lock.state === 'store-unreadable'}>
          <p data-testid="store-unreadable">
            {props.lock.state === 'store-unreadable' && props.lock.reason === 'schema-too-new'
              ? 'These messages were saved by a newer version of Tessera. Update Tessera to open them; nothing was changed.'
              : 'The message database could not be opened. Nothing was changed.'}
          </p>
        </Match>
      </Switch>
      <Show when={props.lock.state === 'needs-passphrase'}>
        <form
          class="unlock-form"
          onSubmit={(event) => {
            event.preventDefault()
            props.onPassphrase(passphrase())
          }}
        >
          <label>
            Passphrase
            <input type="password" data-testid="passphrase-input" autocomplete="current-password" onInput={(event) => setPassphrase(event.currentTarget.value)} />
          </label>
          <button type="submit" class="primary" disabled={props.busy || passphrase().length === 0}>
            Unlock
          </button>
        </form>
      </Show>
      <Show when={props.lock.state !== 'needs-passphrase' && props.lock.state !== 'store-unreadable'}>
        <form
          class="unlock-form"
          onSubmit={(event) => {
            event.preventDefault()
            props.onRecoveryKey(recoveryKey())
          }}
        >
          <label>
            Recovery key
            <input
              type="text"
              data-testid="recovery-key-input"
              autocomplete="off"
              spellcheck={false}
              placeholder="XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX"
              onInput={(event) => setRecoveryKey(event.currentTarget.value)}
            />
          </label>
          <button type="submit" class="primary" data-testid="unlock-with-recovery-key" disabled={props.busy || recoveryKey().trim().length === 0}>
            {props.busy ? 'Unlocking…' : 'Unlock with recovery key'}
          </button>
        </form>
      </Show>
      <Show when={rejected()}>
        {(reason) => (
          <p class="error-banner" role="alert" data-testid="unlock-rejected" data-reason={reason()}>
            {REJECTIONS[reason()]}
          </p>
        )}
      </Show>
    </section>
  )
}
