// Test-only routes (in local and test builds only, answering only while TEST_HOOKS is on): pages with chosen cache
// headers that count their origin hits, and a route that throws.
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { OriginApp } from "../context.ts";

const hits = new Map<string, number>();
const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));

export const testingRoutes = new Hono<OriginApp>()
  .use("/_test/*", async (c, next) => {
    if (!c.get("config").TEST_HOOKS) throw new HTTPException(404, { message: "Not found" });
    await next();
  })
  .get("/_test/page/:name", async (c) => {
    const name = c.req.param("name");
    const n = (hits.get(name) ?? 0) + 1;
    hits.set(name, n);
    const q = c.req.query();
    const delay = num(q.delay);
    if (delay) await new Promise((r) => setTimeout(r, delay));
    // failAfter=n: the first n hits succeed, later ones fail (a good copy is cached, then the origin breaks).
    const failAfter = num(q.failAfter);
    const failing = failAfter !== undefined && n > failAfter;
    const status = failing ? (num(q.failStatus) ?? 503) : (num(q.status) ?? 200);
    const cc = [
      q.cc ?? "public",
      q.ttl ? `s-maxage=${q.ttl}` : "",
      q.swr ? `stale-while-revalidate=${q.swr}` : "",
    ]
      .concat(q.sie ? `stale-if-error=${q.sie}` : "")
      .filter(Boolean)
      .join(", ");
    c.header("cache-control", cc);
    if (q.tag) c.header("cache-tag", q.tag);
    if (q.cookie) c.header("set-cookie", `${q.cookie}; Path=/`);
    return c.text(`${name}:${n}`, status as 200);
  })
  // A bug on purpose: the error path end to end (500 page, Sentry, grouped errors) with this request's id.
  .get("/_test/throw", () => {
    throw new TypeError("test hook: a route that breaks");
  })
  .get("/_test/hits/:name", (c) => {
    c.header("cache-control", "no-store");
    return c.json({ hits: hits.get(c.req.param("name")) ?? 0 });
  });
