// Admin API for the read-only switch: GET shows it, PUT flips it, GET …/audit lists changes; all need the admin token.
import type { Context, Env } from "hono";
import { HTTPException } from "hono/http-exception";
import { Hono } from "hono/tiny";
import * as z from "zod/mini";
import { adminAuth } from "../http/index.ts";
import type { ReadOnlyApplied, ReadOnlyPut, ReadOnlyState, ReadOnlyStore } from "./state.ts";
import { DEFAULT_READ_ONLY_REASON } from "./text.ts";

export const READ_ONLY_ADMIN_PATH = "/_admin/readonly";

// Strict, so a typo such as `retry_after` is a 400 rather than silently ignored.
export const readOnlyPutSchema = z.strictObject({
  on: z.boolean(),
  reason: z.optional(z.string().check(z.trim(), z.maxLength(500))),
  retryAfter: z.optional(z.number().check(z.int(), z.gte(1), z.lte(86_400))),
});

export type { ReadOnlyPut };

/** The next stored state; `since` moves only when the switch actually changes. */
export function nextReadOnlyState(
  prev: ReadOnlyState,
  put: ReadOnlyPut,
  by: string,
  nowIso: string,
): ReadOnlyState {
  const changed = prev.on !== put.on;
  return {
    on: put.on,
    reason: put.on ? put.reason || (prev.on ? prev.reason : DEFAULT_READ_ONLY_REASON) : "",
    retryAfter: put.retryAfter ?? prev.retryAfter,
    since: changed || prev.since === null ? nowIso : prev.since,
    by,
  };
}

/**
 * The one way a person changes the switch (the admin API and the console both call it): applied where the switch
 * is kept (the switchboard, KV when it is unreachable), audited there, and returned with any warning.
 */
export function switchReadOnly(store: ReadOnlyStore, put: ReadOnlyPut, by: string): Promise<ReadOnlyApplied> {
  return store.apply(put, by);
}

export function readOnlyAdmin<E extends Env = Env>(
  getStore: (c: Context<E>) => ReadOnlyStore,
  adminToken: (c: Context<E>) => string,
): Hono<E> {
  const app = new Hono<E>();
  app.use(READ_ONLY_ADMIN_PATH, adminAuth(adminToken));
  app.use(`${READ_ONLY_ADMIN_PATH}/*`, adminAuth(adminToken));
  app.get(READ_ONLY_ADMIN_PATH, async (c) => {
    c.header("Cache-Control", "no-store");
    return c.json(await getStore(c).get());
  });
  app.get(`${READ_ONLY_ADMIN_PATH}/audit`, async (c) => {
    const limit = Number(c.req.query("limit") ?? 50);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1_000) {
      throw new HTTPException(400, { message: "limit must be a whole number 1..1000" });
    }
    c.header("Cache-Control", "no-store");
    return c.json({ entries: await getStore(c).audit(limit) });
  });
  app.put(READ_ONLY_ADMIN_PATH, async (c) => {
    const put = readOnlyPutSchema.safeParse(await readJson(c.req.raw));
    if (!put.success) {
      const detail = put.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
      throw new HTTPException(400, { message: `Invalid read-only request: ${detail}` });
    }
    const { state, warning } = await switchReadOnly(getStore(c), put.data, actor(c.req.header("X-Actor")));
    c.header("Cache-Control", "no-store");
    return c.json(warning ? { ...state, warning } : state);
  });
  return app;
}

async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new HTTPException(400, { message: 'Body must be JSON, e.g. {"on": true, "reason": "…"}' });
  }
}

/** Who flipped it, for the audit trail: printable, short, and "admin" when not given. */
function actor(header: string | undefined): string {
  const clean = (header ?? "")
    .replace(/[^\x20-\x7e]/g, "")
    .trim()
    .slice(0, 100);
  return clean || "admin";
}
