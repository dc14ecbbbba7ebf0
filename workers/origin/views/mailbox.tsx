// The local dev mailbox (/_dev/mail): what the site "sent", newest first, codes readable. Never in production.
import type { MailboxRow } from "../../../shared/email/mailbox-pg.ts";
import { Layout } from "./layout.tsx";

export function MailboxPage(props: { mail: MailboxRow[] }) {
  return (
    <Layout title="Dev mailbox" user={null}>
      <h1>Dev mailbox</h1>
      <p class="muted">Mail the local site sent (EMAIL_TRANSPORT=mailbox). Newest first.</p>
      {props.mail.length === 0 && <p>No mail yet.</p>}
      {props.mail.map((m) => (
        <article class="mail">
          <h2>{m.subject}</h2>
          <p class="muted">
            To {m.recipient} · {m.kind} · {new Date(m.createdAt).toISOString()}
          </p>
          <pre>{m.body}</pre>
        </article>
      ))}
    </Layout>
  );
}
