export interface WelcomeViewProps {
  readonly busy: boolean
  readonly onCreate: () => void
}

export function WelcomeView(props: WelcomeViewProps) {
  return (
    <section class="view lock-screen" aria-labelledby="welcome-title">
      <h1 id="welcome-title">Welcome to Tessera</h1>
      <p>
        Tessera keeps your messages in an encrypted database on this computer. Its key goes into your system keychain, and
        a recovery key you write down opens it if the keychain ever forgets.
      </p>
      <button type="button" class="primary" data-testid="create-profile" disabled={props.busy} onClick={() => props.onCreate()}>
        {props.busy ? 'Creating…' : 'Create my profile'}
      </button>
    </section>
  )
}
