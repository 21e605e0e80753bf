export function ChatsView() {
  return (
    <section class="view empty" aria-labelledby="chats-title">
      <h1 id="chats-title">Chats</h1>
      <p class="muted">No conversations yet.</p>
    </section>
  )
}
