// Sign-in pages: ask for a code by email, then type it in. New addresses get an account on first sign-in.
import { Layout } from "./layout.tsx";
import { Turnstile, type TurnstileWidget } from "./turnstile.tsx";

export function LoginPage(props: { error?: string; email?: string; turnstile: TurnstileWidget }) {
  return (
    <Layout title="Sign in" user={null}>
      <h1>Sign in</h1>
      {props.error && <p class="error">{props.error}</p>}
      <p>We email you a 6-digit code; no password. A new address gets a new account.</p>
      <form method="post" action="/login">
        <label>
          Email{" "}
          <input
            name="email"
            type="email"
            required
            maxlength={200}
            autocomplete="email"
            value={props.email ?? ""}
          />
        </label>
        <Turnstile widget={props.turnstile} />
        <button type="submit">Email me a code</button>
      </form>
    </Layout>
  );
}

export function CodePage(props: {
  action: string;
  title: string;
  sentTo: string;
  error?: string;
  local: boolean;
}) {
  return (
    <Layout title={props.title} user={null}>
      <h1>{props.title}</h1>
      {props.error && <p class="error">{props.error}</p>}
      <p role="status">
        If {props.sentTo} can receive email, a code is on its way. It works once, for 10 minutes.
      </p>
      <form method="post" action={props.action}>
        <label>
          Code{" "}
          <input
            name="code"
            inputmode="numeric"
            autocomplete="one-time-code"
            pattern="[0-9 ]{6,7}"
            maxlength={7}
            required
            autofocus
          />
        </label>
        <button type="submit">Continue</button>
      </form>
      {props.local && (
        <p class="muted">
          Running locally: mail lands in the <a href="/_dev/mail">dev mailbox</a>.
        </p>
      )}
    </Layout>
  );
}
