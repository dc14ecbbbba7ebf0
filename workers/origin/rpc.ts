// The origin's RPC methods for the edge (identity lookups, exposures): reachable only over the service binding.
import { neonConfig } from "@neondatabase/serverless";
import { and, eq, gt } from "drizzle-orm";
import * as z from "zod/mini";
import { createPrimaryDb, QueryLog, sessions, useLocalNeonProxy, users } from "../../shared/db/index.ts";
import type { OriginConfig } from "../../shared/env/index.ts";
import { reportError } from "../../shared/error-tracking/index.ts";
import { recordExposures } from "../../shared/flagstore/index.ts";
import { type Identity, sessionKey } from "../../shared/identity/index.ts";
import type { IdentityAnswer } from "../../shared/trust/index.ts";

const name = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
// Real ids are 43 characters; the seed's fixed dev ids are shorter words. Anything else is not looked up.
const sessionId = z.string().check(z.regex(/^[A-Za-z0-9_-]{8,200}$/));
const errorReport = z.object({
  type: name(200),
  message: z.string().check(z.maxLength(2_000)),
  stack: z.string().check(z.maxLength(8_000)),
  requestId: z.nullable(z.string().check(z.maxLength(200))),
});
const exposureRows = z
  .array(z.object({ flag: name(200), variant: name(100), subject: name(200) }))
  .check(z.maxLength(500));

function primary(config: OriginConfig) {
  if (config.NEON_LOCAL_PROXY) useLocalNeonProxy(neonConfig, config.NEON_LOCAL_PROXY);
  return createPrimaryDb({
    url: config.DATABASE_URL,
    timeoutMs: config.DB_TIMEOUT_MS,
    accounting: new QueryLog({ slowMs: config.SLOW_QUERY_MS }),
  });
}

/** Reads the primary: a session created a moment ago must resolve at once. */
export async function identityOf(config: OriginConfig, id: unknown): Promise<IdentityAnswer> {
  const parsed = sessionId.safeParse(id);
  if (!parsed.success) return { user: null };
  try {
    return { user: await lookup(config, parsed.data) };
  } catch (error) {
    // Said, not thrown: an exception here would be logged as uncaught by the runtime for every lookup in an outage.
    return { unavailable: error instanceof Error ? error.name : "error" };
  }
}

async function lookup(config: OriginConfig, id: string): Promise<Identity | null> {
  // The seed's fixed sessions work on a laptop only, whatever a database was seeded with.
  const devOk = config.ENVIRONMENT === "local";
  const rows = await primary(config)
    .select({ id: users.id, tags: users.tags, email: users.email })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.id, await sessionKey(id)),
        gt(sessions.expiresAt, new Date()),
        devOk ? undefined : eq(sessions.dev, false),
      ),
    );
  const row = rows[0];
  if (!row) return null;
  // What flags may target about this user (the edge's site properties read them): only what the origin knows.
  const properties = { emailDomain: row.email.slice(row.email.lastIndexOf("@") + 1).toLowerCase() };
  return { id: row.id, tags: row.tags, properties };
}

export async function edgeExposures(config: OriginConfig, rows: unknown): Promise<number> {
  const parsed = exposureRows.safeParse(rows);
  if (!parsed.success) return 0;
  return recordExposures(primary(config), parsed.data);
}

/** The edge's unexpected errors, reported as the origin's own are (worker "edge"). */
export function edgeError(
  config: OriginConfig,
  report: unknown,
  waitUntil: (p: Promise<unknown>) => void,
): void {
  const parsed = errorReport.safeParse(report);
  if (!parsed.success) return;
  const { type, message, stack, requestId } = parsed.data;
  const error = Object.assign(new Error(message), { name: type, stack: `${type}: ${message}\n${stack}` });
  reportError(error, {
    worker: "edge",
    requestId,
    db: primary(config),
    waitUntil,
    flushEveryMs: config.ERROR_FLUSH_MS,
  });
}
