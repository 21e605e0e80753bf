import { Show } from 'solid-js'
import type { AppInfo } from '../../../shared/api/contract'

export function AboutView(props: { readonly info: AppInfo | undefined }) {
  return (
    <section class="view" aria-labelledby="about-title">
      <h1 id="about-title">About</h1>
      <Show when={props.info} fallback={<p class="muted">Loading…</p>}>
        {(info) => (
          <dl class="facts" data-testid="app-info">
            <dt>Application</dt>
            <dd data-testid="app-name">{info().name}</dd>
            <dt>Version</dt>
            <dd data-testid="app-version">{info().version}</dd>
            <dt>Platform</dt>
            <dd data-testid="app-platform">
              {info().platform} ({info().arch})
            </dd>
            <dt>Profile</dt>
            <dd data-testid="app-profile">{info().profile}</dd>
            <dt>Runtime</dt>
            <dd data-testid="app-runtime">{info().runtime}</dd>
          </dl>
        )}
      </Show>
      <p class="muted">
        Messages are end-to-end encrypted. Relays only ever see ciphertext; your keys never leave this computer's main
        process.
      </p>
    </section>
  )
}
