// Bad input never reaches a 5xx: every route, read from the routers, driven with generated junk through the edge.
//
// Seeded and bounded, so a failure reproduces: the report names the seed, the path and the body.

import { Redis } from "@upstash/redis/cloudflare";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { sessionKey } from "../shared/identity/index.ts";
import { edgeAdmin } from "../workers/edge/admin.ts";
import { app } from "../workers/origin/app.ts";
import { admin, adminToken, site, sql } from "./helpers.ts";

// Test-only routes are not in production builds; their knobs (delays) would only fuzz the test rig.
const SKIP = ["/_test"];
const DEADLINE_MS = 10_000;

type Route = { method: string; path: string };

function routes(): Route[] {
  const seen = new Set<string>();
  const out: Route[] = [];
  for (const r of [...app.routes, ...edgeAdmin.routes]) {
    if (r.method === "ALL" || SKIP.some((s) => r.path.startsWith(s))) continue;
    const id = `${r.method} ${r.path}`;
    if (!seen.has(id)) out.push({ method: r.method, path: r.path });
    seen.add(id);
  }
  return out;
}

// Values that have broken parsers and databases before: out-of-range ids, NUL, lone surrogates, huge strings.
const NASTY = [
  "2147483648",
  "99999999999999999999",
  "-1",
  "0",
  "1e3",
  "0x10",
  "NaN",
  "1.5",
  "\u0000",
  "x\u0000y",
  "%00",
  "..",
  "%2e%2e",
  "a".repeat(3000),
  "😀",
  "\ud800",
  "null",
  "' or 1=1 --",
  "<script>",
];

const nasty = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
);

const jsonValue = fc.oneof(nasty, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));

// Plausible values per field the site's forms and APIs take: a body that is valid but for one field (or a path
// parameter) reaches the database, which is where bad input used to turn into a 500.
const plausible: Record<string, fc.Arbitrary<unknown>> = {
  name: fc.constant("Fuzz"),
  email: fc.constant("fuzz@example.com"),
  body: fc.constant("a comment"),
  idempotencyKey: fc.uuid(),
  contentType: fc.constant("image/png"),
  size: fc.constant(1000),
  eventId: fc.constantFrom(1, 2_147_483_648, 999_999),
  reason: fc.constant("fuzz"),
  retryAfter: fc.constant(60),
  tags: fc.constant(["fuzz"]),
  urls: fc.constantFrom(["javascript:alert(1)"], ["file:///etc/passwd"], ["http://edgeplate.test/"]),
  hard: fc.boolean(),
  state: fc.constantFrom("on", "off", "selective"),
};
const field = (name: string) =>
  fc.oneof({ weight: 3, arbitrary: plausible[name] ?? jsonValue }, { weight: 1, arbitrary: jsonValue });
const mostlyValid = fc.record(
  Object.fromEntries(Object.keys(plausible).map((k) => [k, field(k)])) as Record<
    string,
    fc.Arbitrary<unknown>
  >,
  { requiredKeys: [] },
);

const bodyArb = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("json" as const), value: mostlyValid }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("form" as const),
      value: mostlyValid.map((v) => Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]))),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("json" as const), value: fc.anything({ maxDepth: 2 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("raw" as const),
      value: fc.oneof(fc.string(), fc.constantFrom("{", "[1,", "\u0000")),
    }),
  },
);

/** A lone surrogate cannot be percent-encoded as UTF-8: send the bytes a broken client would (CESU-8). */
function encodeParam(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return "%ED%A0%80";
  }
}

function fill(path: string, params: string[]): string {
  let i = 0;
  const next = () => encodeParam(params[i++ % params.length] ?? "x");
  return path.replace(/:[^/]+/g, next).replace(/\*/g, next);
}

type BodySpec = typeof bodyArb extends fc.Arbitrary<infer T> ? T : never;

function bodyInit(b: BodySpec): { body: string; type: string } {
  if (b.kind === "json") return { body: JSON.stringify(b.value) ?? "null", type: "application/json" };
  if (b.kind === "form") {
    return {
      body: new URLSearchParams(b.value as Record<string, string>).toString(),
      type: "application/x-www-form-urlencoded",
    };
  }
  return { body: b.value, type: "text/plain" };
}

const RUNS_PER_ROUTE = 8;
// Routes fuzzed at once: each route's requests stay in order, different routes overlap (a site gets both).
const ROUTES_AT_ONCE = 4;

async function inParallel<T>(items: T[], run: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await run(item);
  };
  await Promise.all(Array.from({ length: ROUTES_AT_ONCE }, worker));
}
// Its own user and session: junk may sign it out (POST /logout), which must not sign out anyone else's tests.
const FUZZ_SESSION = `fuzz-session-${crypto.randomUUID()}`;
// A staff user's session, so junk reaches the console's handlers rather than its refusal page.
const FUZZ_STAFF = `fuzz-staff-${crypto.randomUUID()}`;

const vars = inject("workerVars").origin;
const redis = new Redis({
  url: vars.UPSTASH_REDIS_REST_URL ?? "",
  token: vars.UPSTASH_REDIS_REST_TOKEN ?? "",
});

async function ensureSession() {
  for (const session of [FUZZ_SESSION, FUZZ_STAFF]) {
    await sql()`insert into sessions (id, user_id, expires_at)
      select ${await sessionKey(session)}, id, now() + interval '1 hour' from users where email = ${`fuzz-${session}@example.com`}
      on conflict (id) do nothing`;
  }
}

async function resetWriteLimits() {
  const keys = await redis.keys("rl:write*");
  if (keys.length > 0) await redis.del(...keys);
}

/** One generated request; the failure described, or null when the answer was fine. */
async function probe(
  route: Route,
  params: string[],
  query: Record<string, string>,
  who: string,
  b: BodySpec,
): Promise<string | null> {
  const qs = new URLSearchParams(query).toString();
  const path = `${fill(route.path, params)}${qs ? `?${qs}` : ""}`;
  const { body, type } = bodyInit(b);
  const headers: Record<string, string> = { "content-type": type, accept: "application/json" };
  if (who === "session" || who === "staff") {
    headers.cookie = `sid=${who === "staff" ? FUZZ_STAFF : FUZZ_SESSION}`;
    // The write limit (10 per 10 s per user) would answer 429 before most routes ever see the input, and junk
    // may have signed the fuzz user out.
    await Promise.all([resetWriteLimits(), ensureSession()]);
  }
  if (who === "admin") headers.authorization = `Bearer ${adminToken}`;
  const started = Date.now();
  const answered = await Promise.race([
    site(path, {
      method: route.method,
      headers,
      ...(route.method === "GET" || route.method === "HEAD" ? {} : { body }),
    }),
    new Promise<null>((r) => setTimeout(() => r(null), DEADLINE_MS)),
  ]);
  const what = `${route.method} ${path} (${who}) ${body.slice(0, 120)}`;
  if (!answered) return `no answer in ${DEADLINE_MS} ms: ${what}`;
  const { res } = answered;
  // A write refused because junk switched the site read-only is that switch working, not a fault.
  const readOnly = res.status === 503 && res.headers.get("x-read-only") === "on";
  if (res.status >= 500 && !readOnly) {
    return `${res.status} after ${Date.now() - started} ms: ${what}: ${answered.body.slice(0, 200)}`;
  }
  return null;
}

describe("no 5xx for bad input", () => {
  const all = routes();
  let flagsBefore: string[] = [];

  beforeAll(async () => {
    await sql()`insert into users (email, name, tags) values (${`fuzz-${FUZZ_SESSION}@example.com`}, 'Fuzz', '{}')`;
    await sql()`insert into users (email, name, tags) values (${`fuzz-${FUZZ_STAFF}@example.com`}, 'Fuzz staff', '{staff}')`;
    await ensureSession();
    flagsBefore = ((await admin("GET", "/_admin/flags")).json as { flags: { key: string }[] }).flags.map(
      (f) => f.key,
    );
  });

  afterAll(async () => {
    // Junk that happened to be valid (a read-only flip, a flag) must not leak into other tests.
    await admin("PUT", "/_admin/readonly", { on: false });
    const after = ((await admin("GET", "/_admin/flags")).json as { flags: { key: string }[] }).flags;
    for (const f of after) if (!flagsBefore.includes(f.key)) await admin("DELETE", `/_admin/flags/${f.key}`);
  });

  it("covers every route the routers declare", () => {
    const paths = all.map((r) => r.path);
    expect(paths).toEqual(
      expect.arrayContaining(["/events/:slug/register", "/talks/:id/comments", "/uploads"]),
    );
    expect(paths.some((p) => p.startsWith("/_admin/"))).toBe(true);
  });

  it("answers generated junk on every route with a 4xx (or the page), in time, never a 5xx", async () => {
    const failures: string[] = [];
    // First, systematically: every route with every nasty value in its path, as someone allowed to use it and
    // with a body that is otherwise valid, so the value travels as far as it can (to the database).
    const valid = Object.fromEntries(
      Object.keys(plausible).map((k) => [
        k,
        fc.sample(plausible[k] as fc.Arbitrary<unknown>, { numRuns: 1, seed: 1 })[0],
      ]),
    );
    await inParallel(
      all.filter((route) => /[:*]/.test(route.path)),
      async (route) => {
        const who = route.path.startsWith("/_admin")
          ? "admin"
          : route.path.startsWith("/admin")
            ? "staff"
            : "session";
        for (const value of NASTY) {
          const failure = await probe(route, [value], {}, who, { kind: "json", value: valid });
          if (failure) failures.push(failure);
        }
      },
    );
    // Then generated: every route gets its own runs, so a rare route is never left to chance.
    await inParallel(all, async (route) => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(nasty, { minLength: 1, maxLength: 3 }),
          fc.dictionary(fc.string({ maxLength: 8 }), nasty, { maxKeys: 3 }),
          fc.constantFrom("anonymous", "session", "admin", "staff"),
          bodyArb,
          async (params, query, who, b) => {
            const failure = await probe(route, params, query, who, b);
            if (failure) failures.push(failure);
            return failure === null;
          },
        ),
        { seed: 20261202, numRuns: RUNS_PER_ROUTE, endOnFailure: true },
      );
    });
    expect(failures).toEqual([]);
  });
});
