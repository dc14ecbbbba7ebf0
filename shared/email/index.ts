// Sending email: one small interface, transports chosen by config (Cloudflare's send_email, Resend, the dev mailbox).
import { withTimeout } from "../deadline/index.ts";
import { SITE } from "../site/index.ts";

export type Email = {
  /** The job id: the transport's idempotency key, so a retried job never sends twice. */
  id: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** What kind of mail this is (sign-in code, confirmation…), for logs and the dev mailbox. */
  kind: string;
};

export interface EmailTransport {
  readonly name: string;
  /** Resolves once the provider accepted the mail; rejects with EmailRefused when retrying cannot help. */
  send(email: Email): Promise<void>;
}

/** The provider refused this mail for good (a bad address, an unverified sender): retrying will not help. */
export class EmailRefused extends Error {
  /** Read by the jobs consumer: the job goes dead at once rather than retrying. */
  readonly permanent = true;
  constructor(message: string) {
    super(message);
    this.name = "EmailRefused";
  }
}

/** Resend's HTTP API (https://resend.com/docs/api-reference/emails/send-email). */
export function resendTransport(o: {
  apiKey: string;
  from: string;
  baseUrl?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}): EmailTransport {
  const base = (o.baseUrl ?? "https://api.resend.com").replace(/\/$/, "");
  return {
    name: "resend",
    async send(email) {
      const res = await withTimeout(
        (signal) =>
          (o.fetch ?? fetch)(`${base}/emails`, {
            method: "POST",
            signal,
            headers: {
              authorization: `Bearer ${o.apiKey}`,
              "content-type": "application/json",
              // Resend refuses requests without one; the key makes a resent job a no-op on their side too.
              "user-agent": SITE.name,
              "idempotency-key": email.id,
            },
            body: JSON.stringify({
              from: o.from,
              to: email.to,
              subject: email.subject,
              text: email.text,
              ...(email.html ? { html: email.html } : {}),
              tags: [{ name: "kind", value: email.kind.replace(/[^A-Za-z0-9_-]/g, "_") }],
            }),
          }),
        o.timeoutMs ?? 10_000,
      );
      if (res.ok) return void (await res.body?.cancel());
      const detail = await res.text().catch(() => "");
      // 4xx other than rate limits: the request itself is wrong (address, sender, key) and will stay wrong.
      if (res.status >= 400 && res.status < 500 && res.status !== 429) {
        throw new EmailRefused(`resend refused the mail (${res.status}): ${detail.slice(0, 300)}`);
      }
      throw new Error(`resend answered ${res.status}: ${detail.slice(0, 300)}`);
    },
  };
}

/** The structured API of a Cloudflare `send_email` binding (`env.EMAIL.send({...})`). */
export type SendEmailBinding = {
  send(message: { from: string; to: string; subject: string; text: string; html?: string }): Promise<unknown>;
};

const PERMANENT = new Set([
  "E_SENDER_NOT_VERIFIED",
  "E_RECIPIENT_NOT_ALLOWED",
  "E_RECIPIENT_SUPPRESSED",
  "E_VALIDATION_ERROR",
  "E_CONTENT_TOO_LARGE",
  "E_HEADER_NOT_ALLOWED",
]);

/** Cloudflare Email Service through a `[[send_email]]` binding. */
export function bindingTransport(binding: SendEmailBinding, from: string): EmailTransport {
  return {
    name: "cloudflare",
    async send(email) {
      try {
        await binding.send({
          from,
          to: email.to,
          subject: email.subject,
          text: email.text,
          ...(email.html ? { html: email.html } : {}),
        });
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (typeof code === "string" && PERMANENT.has(code))
          throw new EmailRefused(`${code}: ${String(error)}`);
        throw error;
      }
    },
  };
}

/** Where the dev mailbox keeps mail (Postgres locally, a Map in unit tests); idempotent by id. */
export type Mailbox = { put(email: Email): Promise<void> };

/** Local development: mail lands in the dev mailbox (`/_dev/mail`), so sign-in works with no account anywhere. */
export function mailboxTransport(mailbox: Mailbox): EmailTransport {
  return { name: "dev-mailbox", send: (email) => mailbox.put(email) };
}
