// Admin API for flags and segments under /_admin/flags (bearer token); every change publishes the snapshot.
import { type Context, type Env, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { FlagDoc, Segment } from "../flags/index.ts";
import { adminAuth } from "../http/index.ts";
import type { SwitchboardNamespace } from "../switchboard/index.ts";
import {
  type ChangeDeps,
  changeFlag,
  changeSegment,
  importDocs,
  publishAfterWrite,
  removeFlag,
  removeSegment,
  renameFlag,
} from "./changes.ts";
import { describeFlag, describeSegment } from "./describe.ts";
import { applyPatch, parsePatch } from "./patch.ts";
import { buildSnapshot, type PublishOptions, publishedVersion } from "./publish.ts";
import { type PgDb, pgFlagStore } from "./repo.ts";
import {
  assertFlagKey,
  type FlagRow,
  type FlagStore,
  isSegmentKey,
  SEGMENT_PREFIX,
  segmentKey,
} from "./store.ts";

export const FLAGS_ADMIN_PATH = "/_admin/flags";

/** Per request: a drizzle database (or any FlagStore, e.g. in tests), the CONFIG KV namespace, who acts. */
export type FlagsAdminDeps = {
  kv: KVNamespace;
  /** The switchboard changes are published to (KV alone without it). */
  board?: SwitchboardNamespace | undefined;
  actor?: string;
  publish?: PublishOptions;
} & ({ db: PgDb } | { store: FlagStore });

const P = FLAGS_ADMIN_PATH;

/** Who made a change, for the audit trail: printable, short, "admin" when not given. */
export function actorFrom(header: string | undefined): string {
  const clean = (header ?? "")
    .replace(/[^\x20-\x7e]/g, "")
    .trim()
    .slice(0, 100);
  return clean || "admin";
}

async function readJson(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new HTTPException(400, { message: "body must be JSON (Content-Type: application/json)" });
  }
}

const flagSummary = (r: FlagRow) => {
  const doc = r.doc as FlagDoc;
  return {
    key: r.key,
    state: doc.state,
    summary: describeFlag(doc),
    ...(doc.description ? { description: doc.description } : {}),
    updatedAt: r.updatedAt,
    updatedBy: r.updatedBy,
  };
};

const segmentSummary = (r: FlagRow) => ({
  name: r.key.slice(SEGMENT_PREFIX.length),
  summary: describeSegment(r.doc as Segment),
  updatedAt: r.updatedAt,
  updatedBy: r.updatedBy,
});

/** The nearest stored ancestor (`a` for `a:b:c`) that is off, which switches this flag off too. */
function disabledBy(rows: FlagRow[], key: string): string | null {
  for (let i = key.lastIndexOf(":"); i > 0; i = key.lastIndexOf(":", i - 1)) {
    const parent = rows.find((r) => r.key === key.slice(0, i));
    if ((parent?.doc as FlagDoc | undefined)?.state === "off") return key.slice(0, i);
  }
  return null;
}

/**
 * Mount with `app.route("/", flagsAdmin((c) => ({ db: c.var.db.primary, kv: c.env.CONFIG }), (c) => token))`.
 * An empty admin token refuses everyone.
 */
export function flagsAdmin<E extends Env = Env>(
  deps: (c: Context<E>) => FlagsAdminDeps,
  adminToken: (c: Context<E>) => string,
): Hono<E> {
  const app = new Hono<E>();
  const auth = adminAuth(adminToken);
  // Hono's `/*` also matches the bare prefix, so these cover `/_admin/flags` itself.
  app.use(`${P}/*`, auth, bodyLimit({ maxSize: 1024 * 1024 }), async (c, next) => {
    await next();
    c.header("Cache-Control", "no-store");
  });

  const ctx = (c: Context<E>): ChangeDeps => {
    const d = deps(c);
    const store = "store" in d ? d.store : pgFlagStore(d.db);
    const actor = d.actor ?? actorFrom(c.req.header("X-Actor"));
    return { store, kv: d.kv, board: d.board, actor, ...(d.publish ? { publish: d.publish } : {}) };
  };

  app.get(P, async (c) => {
    const { store, kv, board } = ctx(c);
    const [rows, published] = await Promise.all([store.rows(), publishedVersion(kv, board)]);
    const built = await buildSnapshot(rows);
    return c.json({
      version: published,
      stored: built.ok ? built.snapshot.version : null,
      inSync: built.ok && built.snapshot.version === published,
      ...(built.ok ? {} : { problems: built.problems }),
      flags: rows
        .filter((r) => !isSegmentKey(r.key))
        .map((r) => ({ ...flagSummary(r), disabledBy: disabledBy(rows, r.key) })),
      segments: rows.filter((r) => isSegmentKey(r.key)).map(segmentSummary),
    });
  });
  app.get(`${P}/_audit`, async (c) => {
    const limit = Number(c.req.query("limit") ?? 50);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
      throw new HTTPException(400, { message: "limit must be a whole number 1..500" });
    }
    return c.json({ entries: await ctx(c).store.audit(c.req.query("key") || undefined, limit) });
  });
  app.post(`${P}/_publish`, async (c) => c.json(await publishAfterWrite(ctx(c))));
  app.post(`${P}/_import`, async (c) => c.json(await importDocs(ctx(c), await readJson(c))));

  app.get(`${P}/_segments`, async (c) => {
    const rows = await ctx(c).store.rows();
    return c.json({ segments: rows.filter((r) => isSegmentKey(r.key)).map(segmentSummary) });
  });
  app.get(`${P}/_segments/:name`, async (c) => {
    const name = c.req.param("name");
    const { store } = ctx(c);
    const row = await store.get(segmentKey(name));
    if (!row) throw new HTTPException(404, { message: `no segment "${name}"` });
    const { doc, updatedAt, updatedBy } = row;
    return c.json({ name, doc, updatedAt, updatedBy, audit: await store.audit(row.key, 10) });
  });
  app.put(`${P}/_segments/:name`, async (c) =>
    c.json(await changeSegment(ctx(c), c.req.param("name"), await readJson(c))),
  );
  app.delete(`${P}/_segments/:name`, async (c) => c.json(await removeSegment(ctx(c), c.req.param("name"))));

  app.get(`${P}/:key`, async (c) => {
    const key = c.req.param("key");
    assertFlagKey(key);
    const { store } = ctx(c);
    const rows = await store.rows();
    const row = rows.find((r) => r.key === key);
    if (!row) throw new HTTPException(404, { message: `no flag "${key}"` });
    return c.json({
      ...row,
      summary: describeFlag(row.doc as FlagDoc),
      disabledBy: disabledBy(rows, key),
      audit: await store.audit(key, 10),
    });
  });
  app.put(`${P}/:key`, async (c) => {
    const doc = await readJson(c);
    return c.json(await changeFlag(ctx(c), c.req.param("key"), () => doc));
  });
  app.patch(`${P}/:key`, async (c) => {
    const patch = parsePatch(await readJson(c));
    return c.json(
      await changeFlag(ctx(c), c.req.param("key"), (prev) => {
        const next = applyPatch(prev, patch);
        if ("error" in next) throw new HTTPException(400, { message: next.error });
        return next.doc;
      }),
    );
  });
  for (const state of ["on", "off"] as const) {
    app.post(`${P}/:key/${state}`, async (c) =>
      c.json(await changeFlag(ctx(c), c.req.param("key"), (prev) => ({ ...(prev ?? {}), state }))),
    );
  }
  app.post(`${P}/:key/rename`, async (c) => {
    const body = await readJson(c);
    const to = (body as { to?: unknown } | null)?.to;
    if (typeof to !== "string")
      throw new HTTPException(400, { message: 'body must be { "to": "<new key>" }' });
    return c.json(await renameFlag(ctx(c), c.req.param("key"), to));
  });
  app.delete(`${P}/:key`, async (c) => c.json(await removeFlag(ctx(c), c.req.param("key"))));
  return app;
}
