// Narrowing: one Redis call, trusted only when every set was built whole; any doubt sends the facets to SQL.
import { describe, expect, it } from "vitest";
import { FakeSets } from "../testing/index.ts";
import { docMember, facetKey, groupMembers, narrowByFacets, READY_MEMBER } from "./narrow.ts";

const guard = {
  async call<T>(_label: string, run: () => Promise<T>) {
    try {
      return { ok: true as const, value: await run() };
    } catch {
      return { ok: false as const, reason: "error" as const };
    }
  },
};

function redisWith(sets: Record<string, string[]>): FakeSets {
  const redis = new FakeSets();
  for (const [k, v] of Object.entries(sets)) redis.sets.set(k, new Set(v));
  return redis;
}

describe("narrowByFacets", () => {
  const built = {
    "sf:topic:caching": [READY_MEMBER, "t:1", "t:2", "e:1"],
    "sf:city:berlin": [READY_MEMBER, "t:2", "t:3", "e:1"],
    "sf:topic:empty": [READY_MEMBER],
    "sf:topic:partial": ["t:2"],
  };

  it("intersects the sets in one call", async () => {
    const redis = redisWith(built);
    const got = await narrowByFacets(redis, guard, ["sf:topic:caching", "sf:city:berlin"]);
    expect(got).toEqual({ status: "narrowed", members: expect.arrayContaining(["t:2", "e:1"]) });
    expect(got.status === "narrowed" && got.members).toHaveLength(2);
    expect(redis.calls).toBe(1);
  });

  it("trusts a built empty set: nothing matches", async () => {
    const got = await narrowByFacets(redisWith(built), guard, ["sf:topic:empty", "sf:city:berlin"]);
    expect(got).toEqual({ status: "narrowed", members: [] });
  });

  it("does not trust a missing set or one never built whole", async () => {
    for (const key of ["sf:topic:nothing-here", "sf:topic:partial"]) {
      const got = await narrowByFacets(redisWith(built), guard, ["sf:city:berlin", key]);
      expect(got, key).toEqual({ status: "skipped", reason: "not-built" });
    }
  });

  it("leaves a broad intersection to SQL instead of shipping it", async () => {
    const redis = redisWith(built);
    expect(await narrowByFacets(redis, guard, ["sf:topic:caching"], 2)).toEqual({
      status: "skipped",
      reason: "too-broad",
    });
    expect(await narrowByFacets(redis, guard, ["sf:topic:caching"], 3)).toMatchObject({ status: "narrowed" });
  });

  it("skips Redis when it fails or is not configured", async () => {
    const redis = redisWith(built);
    redis.mode = "error";
    expect(await narrowByFacets(redis, guard, ["sf:topic:caching"])).toEqual({
      status: "skipped",
      reason: "error",
    });
    expect(await narrowByFacets(null, guard, ["sf:topic:caching"])).toEqual({
      status: "skipped",
      reason: "no-redis",
    });
  });
});

describe("keys and members", () => {
  it("encodes facet values into one unambiguous key", () => {
    expect(facetKey("sf:", "city", "são paulo")).toBe("sf:city:s%C3%A3o%20paulo");
    expect(facetKey("sf:", "topic", "a:b")).not.toBe(facetKey("sf:", "topic:a", "b"));
  });

  it("groups members by kind and ignores anything else", () => {
    const members = [docMember("t", 2), docMember("e", 1), docMember("t", 7), READY_MEMBER, "t:0", "x:1e3"];
    expect(groupMembers(members)).toEqual(
      new Map([
        ["t", [2, 7]],
        ["e", [1]],
      ]),
    );
  });
});
