// Tests: Engine: grace, keep (stale-if-error) and the backend-sick circuit.

import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CACHE_NAME } from "../site/index.ts";
import { until } from "../testing/index.ts";
import { page, rig, status } from "./edge-cache.fixture.ts";

const down = () => new Response("origin broke", { status: 503 });
const boom = (): Response => {
  throw new Error("connection refused");
};
const hang = () => new Promise<Response>(() => {});

describe("edge cache: grace (stale-while-revalidate)", () => {
  it("serves stale at once and revalidates exactly once in the background", async () => {
    let release: () => void = () => {};
    const r = await rig(page("public, max-age=60"));
    await r.get("/g");
    r.advance(65); // past ttl 60, inside grace 10
    const gate = new Promise<void>((res) => {
      release = res;
    });
    r.answer(async (_req, n) => {
      await gate;
      return new Response(`page v${n}`, { headers: { "cache-control": "public, max-age=60" } });
    });

    // 20 requests while the refresh is held: all get the stale copy immediately.
    const ctx = createExecutionContext();
    const stale = await Promise.all(Array.from({ length: 20 }, () => r.handle("/g", ctx)));
    for (const res of stale) {
      expect(await res.text()).toBe("page v1");
      expect(status(res)).toBe(`${CACHE_NAME}; hit; ttl=-5; detail=stale-while-revalidate`);
      expect(res.headers.get("age")).toBe("65");
    }
    expect(r.calls.length).toBe(2); // the first fill + ONE revalidation
    release();
    await waitOnExecutionContext(ctx);

    const fresh = await r.get("/g");
    expect(await fresh.text()).toBe("page v2");
    expect(status(fresh)).toContain("hit; ttl=60");
    expect(r.calls.length).toBe(2);
  });

  it("waits for origin past grace (stale copy only as an error fallback)", async () => {
    const r = await rig(page("public, max-age=60"));
    await r.get("/g2");
    r.advance(75); // past ttl + grace, inside keep
    const res = await r.get("/g2");
    expect(await res.text()).toBe("page v2");
    expect(status(res)).toBe(`${CACHE_NAME}; fwd=stale; fwd-status=200; stored`);
  });

  it("honours the origin's stale-while-revalidate over the route default", async () => {
    const r = await rig(page("public, max-age=10, stale-while-revalidate=100"));
    await r.get("/swr");
    r.advance(90);
    expect(status(await r.get("/swr"))).toContain("detail=stale-while-revalidate");
  });
});

describe("edge cache: keep (stale-if-error)", () => {
  for (const [name, failing, fwdStatus] of [
    ["a 5xx", down, "; fwd-status=503"],
    ["a throw", boom, ""],
    ["a timeout", hang, ""],
  ] as const) {
    it(`serves the kept copy instead of ${name}`, async () => {
      const r = await rig(page("public, max-age=60"));
      await r.get("/k");
      r.advance(200); // past ttl + grace, inside keep 300
      r.answer(failing);
      const res = await r.get("/k");
      expect(res.status).toBe(200);
      expect(await res.text()).toBe("page v1");
      expect(status(res)).toBe(`${CACHE_NAME}; fwd=stale${fwdStatus}; ttl=-140; detail=stale-if-error`);
    });
  }

  it("never overwrites a good copy with a 5xx", async () => {
    const r = await rig(page("public, max-age=60"));
    await r.get("/k2");
    r.advance(200);
    r.answer(
      () => new Response("broken", { status: 500, headers: { "cache-control": "public, max-age=600" } }),
    );
    await r.get("/k2");
    r.answer(boom);
    expect(await (await r.get("/k2")).text()).toBe("page v1");
  });

  it("returns the error when no copy is within keep: 5xx passed through, 502 for a throw, 504 for a timeout", async () => {
    const r = await rig(down);
    const five = await r.get("/none");
    expect(five.status).toBe(503);
    expect(await five.text()).toBe("origin broke");
    r.answer(boom);
    const bad = await r.get("/none");
    expect(bad.status).toBe(502);
    expect(await bad.text()).toBe("Bad Gateway\n");
    r.answer(hang);
    const slow = await r.get("/none");
    expect(slow.status).toBe(504);
    expect(status(slow)).toContain("detail=origin-timeout");
  });

  it("must-revalidate forbids the kept copy", async () => {
    const r = await rig(page("public, max-age=60, must-revalidate"));
    await r.get("/mr");
    r.advance(61);
    r.answer(down);
    expect((await r.get("/mr")).status).toBe(503);
  });

  it("shares one failing fetch among concurrent waiters, each getting the kept copy", async () => {
    const r = await rig(page("public, max-age=60"));
    await r.get("/k3");
    r.advance(200);
    const before = r.lookups();
    r.answer(async () => {
      await until(() => r.lookups() >= before + 10, "10 lookups");
      return down();
    });
    const all = await r.burst(10, "/k3");
    expect(r.calls.length).toBe(2);
    for (const res of all) expect(await res.text()).toBe("page v1");
  });
});

describe("edge cache: backend sick", () => {
  it("after N consecutive failures serves kept copies without waiting on origin, until the cooldown ends", async () => {
    const r = await rig(page("public, max-age=60"), { health: { failures: 3, cooldownMs: 5_000 } });
    for (const p of ["/s1", "/s2"]) await r.get(p);
    r.advance(200);
    r.answer(hang);
    for (let i = 0; i < 3; i++) await r.get("/s1"); // three timeouts, each answered from keep
    expect(r.calls.length).toBe(5);

    const t0 = Date.now();
    const res = await r.get("/s2");
    expect(Date.now() - t0).toBeLessThan(50);
    expect(await res.text()).toBe("page v2");
    expect(status(res)).toBe(`${CACHE_NAME}; hit; ttl=-140; detail=backend-sick`);
    expect(r.calls.length).toBe(5); // origin not asked

    r.advance(6); // cooldown over: one probe goes to origin, which has recovered
    r.answer(page("public, max-age=60"));
    const probe = await r.get("/s2");
    expect(status(probe)).toContain("fwd=stale; fwd-status=200; stored");
    expect(r.calls.length).toBe(6);
  });

  it("still asks origin for pages it has no copy of", async () => {
    const r = await rig(boom, { health: { failures: 1, cooldownMs: 60_000 } });
    await r.get("/a");
    const res = await r.get("/b");
    expect(res.status).toBe(502);
    expect(r.calls.length).toBe(2);
  });
});
