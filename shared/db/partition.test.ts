import { describe, expect, it } from "vitest";
import { type PartitionConfig, routePartition } from "./partition.ts";

const databases = { eu: { primaryUrl: "postgres://eu" }, us: { primaryUrl: "postgres://us" } };

describe("routePartition", () => {
  it("honours explicit assignments first", () => {
    const config: PartitionConfig = { databases, assign: { acme: "us" }, fallback: "eu" };
    expect(routePartition("acme", config)).toBe("us");
    expect(routePartition("other", config)).toBe("eu");
  });

  it("hashes unassigned keys stably and uses every database", () => {
    const config: PartitionConfig = { databases };
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const name = routePartition(`tenant-${i}`, config);
      expect(routePartition(`tenant-${i}`, config)).toBe(name);
      seen.add(name);
    }
    expect([...seen].sort()).toEqual(["eu", "us"]);
    // Stable across runs: a fixed key always lands on the same database.
    expect(routePartition("tenant-0", config)).toBe(
      routePartition("tenant-0", { databases: { ...databases } }),
    );
  });

  it("fails loudly on misconfiguration", () => {
    expect(() => routePartition("a", { databases: {} })).toThrow(/no databases/);
    expect(() => routePartition("a", { databases, assign: { a: "asia" } })).toThrow(
      /unknown database "asia"/,
    );
  });
});
