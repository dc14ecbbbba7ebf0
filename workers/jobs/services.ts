// What job handlers run against: the primary database, Redis counters, R2, and the edge for purges.
import { neonConfig } from "@neondatabase/serverless";
import { redisClient } from "../../shared/datacache/index.ts";
import { createPrimaryDb, QueryLog, useLocalNeonProxy } from "../../shared/db/index.ts";
import {
  bindingTransport,
  type EmailTransport,
  mailboxTransport,
  resendTransport,
} from "../../shared/email/index.ts";
import { pgMailbox } from "../../shared/email/mailbox-pg.ts";
import type { JobsConfig } from "../../shared/env/index.ts";
import type { PgDb } from "../../shared/jobs/index.ts";

/** Jobs write (ledger, outbox, uploads), so they talk to the primary; a client per batch, never per isolate. */
export function jobsDb(config: JobsConfig) {
  if (config.NEON_LOCAL_PROXY) useLocalNeonProxy(neonConfig, config.NEON_LOCAL_PROXY);
  return createPrimaryDb({
    url: config.DATABASE_URL,
    timeoutMs: config.DB_TIMEOUT_MS,
    accounting: new QueryLog(),
  });
}

export const jobsRedis = (config: JobsConfig) =>
  redisClient(config.UPSTASH_REDIS_REST_URL, config.UPSTASH_REDIS_REST_TOKEN);

/** Asks the edge to purge cached pages (the edge owns the cache; locally and in production alike). */
export async function purgeAtEdge(config: JobsConfig, tags: string[]): Promise<void> {
  const res = await config.bindings.EDGE.fetch("https://edge.internal/_admin/purge", {
    method: "POST",
    headers: { authorization: `Bearer ${config.ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ tags }),
  });
  if (!res.ok) throw new Error(`purge failed: ${res.status} ${await res.text()}`);
}

/** The mail transport config names (the env check already refused a missing key or binding). */
export function mailTransport(config: JobsConfig, db: PgDb): EmailTransport {
  switch (config.EMAIL_TRANSPORT) {
    case "mailbox":
      return mailboxTransport(pgMailbox(db));
    case "resend":
      return resendTransport({
        apiKey: config.RESEND_API_KEY ?? "",
        from: config.EMAIL_FROM,
        baseUrl: config.RESEND_API_URL,
      });
    case "cloudflare": {
      const binding = config.bindings.EMAIL;
      if (!binding) throw new Error("no send_email binding named EMAIL");
      return bindingTransport(binding, config.EMAIL_FROM);
    }
  }
}
