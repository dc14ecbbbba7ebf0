// Deciding what a database still needs, the way drizzle-orm's migrator does, minus its silent skips.
import { describe, expect, it } from "vitest";
import { type Migration, planMigrations, readMigrations } from "./journal.ts";

const m = (tag: string, when: number): Migration => ({
  tag,
  when,
  hash: `h-${tag}`,
  sql: "",
  statements: [],
  transactional: true,
});
const all = [m("0000_a", 100), m("0001_b", 200), m("0002_c", 300)];

describe("planMigrations", () => {
  it("applies what is newer than the newest record, up to `to`", () => {
    expect(planMigrations(all, []).pending.map((x) => x.tag)).toEqual(["0000_a", "0001_b", "0002_c"]);
    expect(planMigrations(all, [{ hash: "h-0000_a", created_at: "100" }]).pending.map((x) => x.tag)).toEqual([
      "0001_b",
      "0002_c",
    ]);
    expect(planMigrations(all, [], "0001_b").pending.map((x) => x.tag)).toEqual(["0000_a", "0001_b"]);
    expect(() => planMigrations(all, [], "0009_nope")).toThrow(/unknown migration/);
  });

  it("refuses an unapplied migration older than the newest applied one instead of skipping it", () => {
    const applied = [
      { hash: "h-0000_a", created_at: 100 },
      { hash: "h-0002_c", created_at: 300 },
    ];
    expect(() => planMigrations(all, applied)).toThrow(/0001_b is older than the newest applied migration/);
  });

  it("reports migrations edited after they were applied", () => {
    const plan = planMigrations(all, [{ hash: "other", created_at: "100" }]);
    expect(plan.modified).toEqual(["0000_a"]);
    expect(plan.alreadyApplied).toBe(1);
  });
});

describe("readMigrations", () => {
  it("reads the project's journal with drizzle-compatible hashes and statement splits", () => {
    const migrations = readMigrations("migrations");
    expect(migrations[0]?.tag).toBe("0000_init");
    expect(migrations[0]?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(migrations.find((x) => x.tag === "0003_events_city_enforce")?.statements).toHaveLength(3);
    // Only a migration with CONCURRENTLY runs outside a transaction.
    for (const m of migrations) {
      expect(m.transactional, m.tag).toBe(!m.statements.some((st) => /\bCONCURRENTLY\b/i.test(st.code)));
    }
  });
});
