// Sign-in page (example site: passwordless for the seeded users; a real site plugs its auth in here).
import { Layout } from "./layout.tsx";

export function LoginPage(props: { error?: string; user?: { id: number } | null }) {
  return (
    <Layout title="Sign in" user={props.user ?? null}>
      <h1>Sign in</h1>
      {props.error && <p class="error">{props.error}</p>}
      <form method="post" action="/login">
        <label>
          Email <input name="email" type="email" required placeholder="ada@example.com" />
        </label>
        <button type="submit">Sign in</button>
      </form>
      <p class="muted">Seeded users: ada@example.com (staff), bob@example.com (beta), cy@example.com.</p>
    </Layout>
  );
}
