// Console flags: the list, one flag's form, toggle, "who sees this", and its audit trail; changes go through flagstore.

import { eq, sql } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { type FlagFields, patchFromFields } from "../../../shared/console/index.ts";
import { users } from "../../../shared/db/index.ts";
import { evaluate, type FlagDoc, type FlagResult } from "../../../shared/flags/index.ts";
import {
  applyPatch,
  buildSnapshot,
  type ChangeDeps,
  changeFlag,
  createSnapshotView,
  isSegmentKey,
  pgFlagStore,
  publishedVersion,
  readPublished,
} from "../../../shared/flagstore/index.ts";
import type { ConsoleApp } from "./context.ts";
import { FlagList, FlagPage, type WhoSees } from "./flags-view.tsx";
import { page } from "./page.tsx";

type C = Context<ConsoleApp>;

/** The same change path as the admin API (shared/flagstore/changes.ts), with the console's operator as actor. */
function deps(c: C): ChangeDeps {
  return {
    store: pgFlagStore(c.get("db").primary),
    kv: c.get("config").bindings.CONFIG,
    board: c.get("config").bindings.SWITCHBOARD,
    actor: c.get("actor").email,
  };
}

async function form(c: C): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  return Object.fromEntries(
    Object.entries(body).filter((e): e is [string, string] => typeof e[1] === "string"),
  );
}

/** A refused change (validator messages, a conflict) is shown on the page; anything else is a real error. */
async function attempt(run: () => Promise<unknown>): Promise<string[] | null> {
  try {
    await run();
    return null;
  } catch (e) {
    if (e instanceof HTTPException && e.status < 500) return e.message.split("; ");
    throw e;
  }
}

async function whoSees(c: C, key: string): Promise<WhoSees | null> {
  const who = c.req.query("who")?.trim() ?? "";
  const anon = c.req.query("anon")?.trim() ?? "";
  const country = c.req.query("country")?.trim().toUpperCase() ?? "";
  if (!who && !anon && !country && c.req.query("check") === undefined) return null;
  const ask = { who, anon, country };
  let user: { id: number; tags: string[] } | null = null;
  if (who) {
    const byId = /^\d{1,9}$/.test(who);
    const [row] = await c
      .get("db")
      .read.select({ id: users.id, tags: users.tags })
      .from(users)
      .where(byId ? eq(users.id, Number(who)) : eq(sql`lower(${users.email})`, who.toLowerCase()));
    if (!row) return { ask, error: `No user ${byId ? "with id" : "with the email"} ${who}.` };
    user = row;
  }
  // What the edge evaluates: the published snapshot, not the rows (they differ only while a publish is pending).
  const { CONFIG, SWITCHBOARD } = c.get("config").bindings;
  const published = await readPublished(CONFIG, SWITCHBOARD);
  const snapshot = await createSnapshotView({ get: async () => published, peek: () => published }).get();
  const result: FlagResult = evaluate(snapshot.compiled, key, {
    ...(user ? { userId: String(user.id), tags: user.tags } : {}),
    ...(anon ? { anonymousId: anon } : {}),
    ...(country ? { country } : {}),
    now: Date.now(),
  });
  return { ask, result, version: snapshot.version, ...(user ? { user } : {}) };
}

async function flagPage(c: C, key: string, problems: string[] | null, fields?: FlagFields, doc?: string) {
  const store = pgFlagStore(c.get("db").primary);
  const [row, audit, who] = await Promise.all([store.get(key), store.audit(key, 20), whoSees(c, key)]);
  if (!row && !problems) throw new HTTPException(404, { message: `No flag "${key}".` });
  return page(
    c,
    { title: key, section: "flags" },
    <FlagPage
      flagKey={key}
      doc={(row?.doc as FlagDoc | undefined) ?? null}
      updatedAt={row?.updatedAt ?? null}
      updatedBy={row?.updatedBy ?? null}
      audit={audit}
      who={who}
      problems={problems}
      fields={fields}
      docText={doc}
      saved={c.req.query("saved") ?? null}
    />,
    problems ? 400 : 200,
  );
}

export const consoleFlags = new Hono<ConsoleApp>()
  .get("/admin/flags", async (c) => {
    const store = pgFlagStore(c.get("db").primary);
    const rows = await store.rows();
    const [published, built] = await Promise.all([
      publishedVersion(c.get("config").bindings.CONFIG, c.get("config").bindings.SWITCHBOARD),
      buildSnapshot(rows),
    ]);
    const flags = rows.filter((r) => !isSegmentKey(r.key));
    const stored = built.ok ? built.snapshot.version : null;
    return page(
      c,
      { title: "Flags", section: "flags" },
      <FlagList rows={flags} published={published} stored={stored} />,
    );
  })
  .post("/admin/flags", async (c) => {
    const key = (await form(c)).key?.trim() ?? "";
    const problems = await attempt(() => changeFlag(deps(c), key, (prev) => prev ?? { state: "off" }));
    if (problems) return flagPage(c, key.slice(0, 100), problems);
    return c.redirect(`/admin/flags/${encodeURIComponent(key)}?saved=created`, 303);
  })
  .get("/admin/flags/:key", (c) => flagPage(c, c.req.param("key"), null))
  .post("/admin/flags/:key", async (c) => {
    const key = c.req.param("key");
    const fields = await form(c);
    let problems: string[] | null = null;
    problems = await attempt(() =>
      changeFlag(deps(c), key, (prev) => {
        const read = patchFromFields(fields, prev as FlagDoc | null);
        if ("errors" in read) throw new HTTPException(400, { message: read.errors.join("; ") });
        const next = applyPatch(prev as FlagDoc | null, read.patch);
        if ("error" in next) throw new HTTPException(400, { message: next.error });
        return next.doc;
      }),
    );
    if (problems) return flagPage(c, key, problems, fields);
    return c.redirect(`/admin/flags/${encodeURIComponent(key)}?saved=rules`, 303);
  })
  .post("/admin/flags/:key/document", async (c) => {
    const key = c.req.param("key");
    const text = (await form(c)).document ?? "";
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      return flagPage(
        c,
        key,
        [`The document is not JSON: ${e instanceof Error ? e.message : String(e)}`],
        undefined,
        text,
      );
    }
    const problems = await attempt(() => changeFlag(deps(c), key, () => doc));
    if (problems) return flagPage(c, key, problems, undefined, text);
    return c.redirect(`/admin/flags/${encodeURIComponent(key)}?saved=document`, 303);
  })
  .post("/admin/flags/:key/:state{on|off|selective}", async (c) => {
    const key = c.req.param("key");
    const state = c.req.param("state") as FlagDoc["state"];
    const problems = await attempt(() => changeFlag(deps(c), key, (prev) => ({ ...(prev ?? {}), state })));
    if (problems) return flagPage(c, key, problems);
    return c.redirect(`/admin/flags/${encodeURIComponent(key)}?saved=${state}`, 303);
  });
