// A location's copy: fresh for cacheMs, then one lease holder refreshes while the others keep using it.
import { describe, expect, it } from "vitest";
import { cacheVerdict, createLocationCache } from "./location-cache.ts";
import { NO_SWITCHES, type Switches } from "./switches.ts";

const ON: Switches = {
  readOnly: { state: { on: true, reason: "x", retryAfter: 60, since: null, by: "ann" }, at: 7 },
  flags: { version: "v1", text: '{"version":"v1"}', at: 3 },
};

describe("cacheVerdict", () => {
  it("is fresh within cacheMs, leased while someone refreshes, stale after both", () => {
    expect(cacheVerdict({ fetchedAt: 0, leaseUntil: 0 }, 999, 1_000)).toBe("fresh");
    expect(cacheVerdict({ fetchedAt: 0, leaseUntil: 1_500 }, 1_200, 1_000)).toBe("leased");
    expect(cacheVerdict({ fetchedAt: 0, leaseUntil: 1_500 }, 1_500, 1_000)).toBe("stale");
    expect(cacheVerdict({ fetchedAt: 0, leaseUntil: 0 }, 1_000, 1_000)).toBe("stale");
  });
});

describe("createLocationCache", () => {
  const fresh = () => {
    const name = `test-${crypto.randomUUID()}`;
    return createLocationCache({ cacheMs: 1_000, leaseMs: 500, open: () => caches.open(name) });
  };

  it("hands one caller the lease when stale; the others use the copy until the lease runs out", async () => {
    const cache = fresh();
    expect(await cache.take(0, null)).toBeNull();
    await cache.store(ON, 10_000, true);
    expect(await cache.take(10_500, null)).toEqual({ verdict: "fresh", switches: ON, fromObject: true });
    expect((await cache.take(11_000, null))?.verdict).toBe("stale");
    expect((await cache.take(11_100, null))?.verdict).toBe("leased");
    expect((await cache.take(11_500, null))?.verdict).toBe("stale");
    await cache.store(NO_SWITCHES, 11_600, false);
    expect(await cache.take(11_700, ON)).toEqual({
      verdict: "fresh",
      switches: NO_SWITCHES,
      fromObject: false,
    });
  });

  it("says whether a copy came from the object, and keeps saying so when a lease is taken", async () => {
    const cache = fresh();
    await cache.store(ON, 0, true);
    expect((await cache.take(2_000, null))?.verdict).toBe("stale");
    expect((await cache.take(2_100, null))?.fromObject).toBe(true);
    await cache.store(ON, 3_000, false);
    expect((await cache.take(3_100, null))?.fromObject).toBe(false);
  });

  it("returns what the caller holds without parsing when the copy is the same", async () => {
    const cache = fresh();
    await cache.store(ON, 0, true);
    const held = structuredClone(ON);
    expect((await cache.take(1, held))?.switches).toBe(held);
  });
});
