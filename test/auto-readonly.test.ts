// Automatic read-only on the real stack: the primary frozen under a mixed load, then made read-only (SQLSTATE 25006).
// Each time the site switches itself read-only within seconds (reads served, writes 503 + Retry-After), loses and
// doubles nothing, and hands writes back by itself once the primary is healthy; trip and clear are audited.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReadOnlyState } from "../shared/readonly/index.ts";
import { CACHED_PAGES, EVENT, ledger, type Outcome, register, timed } from "./fault-load.ts";
import { admin, control, eventually, site, sql } from "./helpers.ts";

const TRIPS_WITHIN_MS = 15_000;
const CLEARS_WITHIN_MS = 15_000;

type Audit = { entries: { action: string; actor: string; detail: string }[] };

/** The switch as a page at the edge shows it: the reason while read-only, null while writable. */
async function edgeReason(): Promise<string | null> {
  const r = await site(`/?auto=${crypto.randomUUID()}`);
  return r.res.headers.get("x-read-only") === "on"
    ? (/readonly-banner[^>]*>(.*?)<\/div>/.exec(r.body)?.[1] ?? "")
    : null;
}

const state = async () => (await admin("GET", "/_admin/readonly")).json as ReadOnlyState;

/** Drives the switchboard's probe (the alarm does the same every AUTO_READ_ONLY_PROBE_MS) until writable again. */
async function clearsItself(): Promise<number> {
  const started = Date.now();
  await eventually(
    async () => {
      await admin("POST", "/_admin/readonly/probe");
      return (await edgeReason()) === null;
    },
    CLEARS_WITHIN_MS,
    200,
  );
  return Date.now() - started;
}

async function whileTripped(tag: string, reason: RegExp) {
  expect(await state()).toMatchObject({ on: true, by: "auto", retryAfter: 30 });
  expect(await edgeReason()).toMatch(reason);
  const [cached, uncached, write] = await Promise.all([
    Promise.all(CACHED_PAGES.map((page) => timed("cached", page))),
    // Not in the edge cache: the origin reads the replica, and the banner says why writes are off.
    site(`/events/${EVENT}?auto=${tag}`),
    site(`/events/${EVENT}/register`, {
      method: "POST",
      headers: { accept: "application/json", "content-type": "application/json" },
      body: JSON.stringify({ name: "Refused", email: `refused-${tag}@example.com` }),
    }),
  ]);
  expect(cached.map((o) => o.status)).toEqual(CACHED_PAGES.map(() => 200));
  expect(uncached.res.status).toBe(200);
  expect(write.res.status).toBe(503);
  expect(write.res.headers.get("retry-after")).toBe("30");
  expect(JSON.parse(write.body)).toMatchObject({ error: "read_only" });
}

/** People whose writes failed send them again, as the error page says is safe. */
async function retry(outcomes: Outcome[]) {
  await Promise.all(
    outcomes.map((o) =>
      o.retry && o.status !== 201
        ? eventually(async () => (await o.retry?.())?.status === 201, 10_000, 100)
        : null,
    ),
  );
}

async function auditSince(actions: string[]) {
  const entries = ((await admin("GET", "/_admin/readonly/audit?limit=2")).json as Audit).entries;
  expect(entries.map((e) => [e.action, e.actor]).reverse()).toEqual(actions.map((a) => [a, "auto"]));
}

beforeAll(async () => {
  for (const page of CACHED_PAGES) await eventually(async () => (await timed("cached", page)).status === 200);
  // For 5 s after a write the edge sends refills to the primary: wait out any write made just before this file,
  // so an uncached page reads a replica, as it does in an incident that did not start with a write.
  await eventually(
    async () =>
      (await site(`/events/${EVENT}?w=${crypto.randomUUID()}`)).res.headers
        .get("x-db-routes")
        ?.includes('"no-token"'),
    10_000,
    250,
  );
});

afterAll(async () => {
  await control("fault/primary/thaw");
  await sql()`alter system reset default_transaction_read_only`;
  await sql()`select pg_reload_conf()`;
  if ((await state()).on) await clearsItself();
});

describe("automatic read-only", () => {
  it("primary frozen: writes without an answer trip it; it clears itself after the thaw; nothing lost", async () => {
    const tag = `frozen-${crypto.randomUUID().slice(0, 8)}`;
    const emails = Array.from({ length: 6 }, (_, i) => `auto-${tag}-${i}@example.com`);
    const started = Date.now();
    await control("fault/primary/freeze");
    // A mixed load: anonymous sign-ups (writes) among cached and uncached reads; checked while it still runs.
    const load = Promise.all([
      ...emails.map((email) => register(email)),
      ...CACHED_PAGES.map((page) => timed("cached", page)),
      timed("uncached", `/events/${EVENT}?load=${tag}`),
    ]);
    try {
      await eventually(async () => (await edgeReason()) !== null, TRIPS_WITHIN_MS, 100);
      expect(Date.now() - started).toBeLessThan(TRIPS_WITHIN_MS);
      await whileTripped(tag, /Database unavailable/);
    } finally {
      await control("fault/primary/thaw");
    }
    const outcomes = await load;
    expect(outcomes.filter((o) => o.kind === "cached").map((o) => o.status)).toEqual(
      CACHED_PAGES.map(() => 200),
    );
    expect(outcomes.filter((o) => o.status === 500 || o.status === 502 || o.status <= 0)).toEqual([]);
    await clearsItself();
    await retry(outcomes);
    expect((await ledger(emails, [])).registrations).toEqual(emails.map(() => 1));
    await auditSince(["readonly.trip", "readonly.clear"]);
  }, 60_000);

  it("primary read-only (SQLSTATE 25006): the first refused write trips it; it clears once writable", async () => {
    const tag = `refused-${crypto.randomUUID().slice(0, 8)}`;
    await sql()`alter system set default_transaction_read_only = on`;
    await sql()`select pg_reload_conf()`;
    const first = await register(`first-${tag}@example.com`);
    try {
      expect(first.status).toBe(503);
      await eventually(async () => (await edgeReason()) !== null, TRIPS_WITHIN_MS, 100);
      await whileTripped(tag, /refusing writes/);
      // Still refusing: the probe keeps it read-only.
      const probe = await admin("POST", "/_admin/readonly/probe");
      expect(probe.json).toMatchObject({
        tripped: true,
        healthy: false,
        detail: expect.stringMatching(/read-only/),
      });
    } finally {
      await sql()`alter system reset default_transaction_read_only`;
      await sql()`select pg_reload_conf()`;
    }
    await clearsItself();
    await retry([first]);
    expect((await ledger([`first-${tag}@example.com`], [])).registrations).toEqual([1]);
    await auditSince(["readonly.trip", "readonly.clear"]);
  }, 60_000);
});
