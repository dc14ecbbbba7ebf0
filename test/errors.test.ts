// Errors you can see: a bug in a route answers a safe 500 with the request id, and reaches Sentry (the local fake
// ingest) and the grouped-errors table under that same id; the edge's own errors are reported through the origin.
import { env } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import type { OriginRpc } from "../shared/trust/index.ts";
import { eventually, site, sql } from "./helpers.ts";

const fakes = inject("stack").fakes;
// The edge's view of the origin binding: RPC methods beside fetch.
const origin = env.ORIGIN as unknown as OriginRpc;

type Envelope = {
  headers: Record<string, string>;
  body: { items: Array<{ type: string; payload: SentryEvent }> };
};
type SentryEvent = {
  environment?: string;
  release?: string;
  tags?: Record<string, string>;
  exception?: { values?: Array<{ type: string; value: string }> };
  request?: { headers?: Record<string, string>; url?: string; cookies?: unknown };
  user?: unknown;
};

async function sentryEventsFor(requestId: string): Promise<SentryEvent[]> {
  const all = (await (await fetch(`${fakes}/_fake/sentry`)).json()) as Envelope[];
  return all
    .flatMap((e) => e.body.items)
    .filter((i) => i.type === "event" && i.payload.tags?.request_id === requestId)
    .map((i) => i.payload);
}

async function groupWith(requestId: string) {
  const rows = (await sql()`select worker, type, message, count::int as count, stack
    from error_groups where last_request_id = ${requestId}`) as {
    worker: string;
    type: string;
    message: string;
    count: number;
    stack: string;
  }[];
  return rows[0];
}

describe("errors you can see", () => {
  it("a route that throws: a 500 page quoting the request id, the same id in Sentry and the grouped errors", async () => {
    const requestId = `err-${crypto.randomUUID()}`;
    const { res, body } = await site("/_test/throw?code=123456", {
      headers: { "x-request-id": requestId, accept: "text/html", cookie: "sid=secret-session-id" },
    });
    expect(res.status).toBe(500);
    expect(body).toContain(requestId);
    expect(body).not.toContain("TypeError");
    expect(body).not.toContain("test hook");

    const [event] = await eventually(async () => {
      const events = await sentryEventsFor(requestId);
      return events.length > 0 && events;
    }, 10_000);
    expect(event?.exception?.values?.[0]).toMatchObject({
      type: "TypeError",
      value: "test hook: a route that breaks",
    });
    expect(event).toMatchObject({ environment: "local", release: "integration", tags: { worker: "origin" } });
    // Nothing that identifies the visitor leaves: no cookie, no signed edge context, no query string.
    const sent = JSON.stringify(event);
    expect(sent).not.toContain("secret-session-id");
    expect(sent).not.toContain("x-edge-context");
    expect(sent).not.toContain("123456");
    expect(event?.user).toBeUndefined();

    const group = await eventually(() => groupWith(requestId), 10_000);
    expect(group).toMatchObject({
      worker: "origin",
      type: "TypeError",
      message: "test hook: a route that breaks",
    });
    expect(group?.stack).toMatch(/^\s*at /);
  });

  it("the same bug from many requests is one group, counting every occurrence", async () => {
    const before = (await sql()`select coalesce(sum(count), 0)::int as n from error_groups
      where message = 'test hook: a route that breaks'`) as { n: number }[];
    const ids = Array.from({ length: 5 }, () => `storm-${crypto.randomUUID()}`);
    for (const id of ids)
      expect((await site("/_test/throw", { headers: { "x-request-id": id } })).res.status).toBe(500);
    // Every one is counted, in one row: the last of the storm is written when its window ends.
    await eventually(
      async () => {
        const rows =
          (await sql()`select count(*)::int as groups, coalesce(sum(count), 0)::int as n from error_groups
        where message = 'test hook: a route that breaks'`) as { groups: number; n: number }[];
        return rows[0]?.groups === 1 && rows[0].n >= (before[0]?.n ?? 0) + ids.length;
      },
      10_000,
      100,
    );
  });

  it("an edge error reported over RPC is grouped as the edge's", async () => {
    const requestId = `edge-${crypto.randomUUID()}`;
    await origin.reportError({
      type: "RangeError",
      message: `edge broke ${requestId}`,
      stack: "    at handle (edge/index.js:1:2)",
      requestId,
    });
    const group = await eventually(() => groupWith(requestId), 10_000);
    expect(group).toMatchObject({ worker: "edge", type: "RangeError" });
    // Bad reports are ignored, not thrown back at the edge.
    await origin.reportError({ type: "", message: "x", stack: "", requestId: null });
  });
});
