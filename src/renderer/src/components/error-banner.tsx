import { Show } from 'solid-js'
import type { ApiError } from '../../../shared/api/result'

export function ErrorBanner(props: { readonly error: ApiError | undefined }) {
  return (
    <Show when={props.error}>
      {(error) => (
        <div class="error-banner" role="alert" data-code={error().code}>
          {error().message}
        </div>
      )}
    </Show>
  )
}
