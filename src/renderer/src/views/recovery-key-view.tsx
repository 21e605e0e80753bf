export interface RecoveryKeyViewProps {
  readonly recoveryKey: string
  readonly onSaved: () => void
}

export function RecoveryKeyView(props: RecoveryKeyViewProps) {
  return (
    <section class="view lock-screen" aria-labelledby="recovery-title">
      <h1 id="recovery-title">Your recovery key</h1>
      <p>
        Write this down and keep it somewhere safe. It is shown only now. If your system keychain is reset, or you move to
        a new keychain, this key is the only way to open your messages.
      </p>
      <p class="recovery-key" data-testid="recovery-key">
        {props.recoveryKey}
      </p>
      <button type="button" class="primary" data-testid="recovery-key-saved" onClick={() => props.onSaved()}>
        I have written it down
      </button>
    </section>
  )
}
