import { describe, expect, it } from "vitest";
import { DEFAULT_RETENTION_DAYS, parseRetention, pruneTargets } from "./policy.ts";

describe("retention windows", () => {
  it("reads overrides over the defaults, 0 meaning forever", () => {
    const days = parseRetention(" exposures=30, dead_jobs=0 ");
    expect(days).toEqual({ ...DEFAULT_RETENTION_DAYS, exposures: 30, dead_jobs: 0 });
    if (typeof days === "string") throw new Error(days);
    const targets = pruneTargets(days);
    expect(targets.map((t) => t.kind)).not.toContain("dead_jobs");
    expect(targets.find((t) => t.kind === "exposures")).toEqual({
      kind: "exposures",
      table: "exposures",
      column: "first_seen",
      days: 30,
    });
  });

  it("names a typo or a bad number instead of guessing", () => {
    expect(parseRetention("exposure=30")).toMatch(/unknown retention kind "exposure"/);
    expect(parseRetention("exposures=-1")).toMatch(/whole days/);
    expect(parseRetention("exposures=1.5")).toMatch(/whole days/);
    expect(parseRetention("")).toEqual(DEFAULT_RETENTION_DAYS);
  });
});
