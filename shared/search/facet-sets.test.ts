// Facet set upkeep: whole sets replaced atomically with the ready marker, documents moved, stale sets removed.
import { describe, expect, it } from "vitest";
import { FakeSets } from "../testing/index.ts";
import { type FacetSource, moveMember, rebuildFacetSets, replaceSets } from "./facet-sets.ts";
import { READY_MEMBER } from "./narrow.ts";

describe("replaceSets", () => {
  it("replaces each set whole, with the ready marker, in one call", async () => {
    const redis = new FakeSets();
    redis.sets.set("sf:topic:a", new Set(["t:9"]));
    const many = Array.from({ length: 2_500 }, (_, i) => `t:${i + 1}`);
    await replaceSets(redis, [
      { key: "sf:topic:a", members: ["t:1"] },
      { key: "sf:topic:b", members: many },
    ]);
    expect(redis.members("sf:topic:a")).toEqual([READY_MEMBER, "t:1"].sort());
    expect(redis.members("sf:topic:b")).toHaveLength(2_501);
    expect(redis.calls).toBe(1);
  });
});

describe("moveMember", () => {
  it("adds to some sets and removes from others in one call, and repeating it changes nothing", async () => {
    const redis = new FakeSets();
    await replaceSets(redis, [
      { key: "sf:topic:a", members: ["t:1"] },
      { key: "sf:topic:b", members: [] },
    ]);
    redis.calls = 0;
    for (let i = 0; i < 2; i++) await moveMember(redis, "t:1", ["sf:topic:b"], ["sf:topic:a"]);
    expect(redis.members("sf:topic:a")).toEqual([READY_MEMBER]);
    expect(redis.members("sf:topic:b")).toEqual([READY_MEMBER, "t:1"].sort());
    expect(redis.calls).toBe(2);
  });
});

describe("rebuildFacetSets", () => {
  const db: Record<string, Record<string, string[]>> = {
    topic: { caching: ["t:1", "e:1"], queues: ["t:2"] },
    city: { berlin: ["e:1", "t:1", "t:2"] },
  };
  const source: FacetSource = {
    prefix: "sf:",
    facets: ["topic", "city"],
    values: async (facet) => Object.keys(db[facet] ?? {}),
    sets: async (facet, values) =>
      values.map((v) => ({ key: `sf:${facet}:${v}`, members: db[facet]?.[v] ?? [] })),
  };

  it("writes every set from the source and deletes sets no value owns any more", async () => {
    const redis = new FakeSets();
    redis.sets.set("sf:city:atlantis", new Set([READY_MEMBER, "e:9"]));
    redis.sets.set("other:key", new Set(["x"]));
    const lines: string[] = [];
    const report = await rebuildFacetSets(source, redis, { batch: 1, progress: (l) => lines.push(l) });
    expect(report).toEqual({ sets: 3, members: 6, deleted: 1 });
    expect(redis.members("sf:topic:caching")).toEqual([READY_MEMBER, "e:1", "t:1"].sort());
    expect(redis.sets.has("sf:city:atlantis")).toBe(false);
    expect(redis.sets.has("other:key")).toBe(true);
    expect(lines).toEqual(["topic: 2 sets, 3 members", "city: 1 sets, 3 members"]);
  });
});
