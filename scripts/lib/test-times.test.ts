import { describe, expect, it } from "vitest";
import { timeBreakdown } from "./test-times.ts";

describe("timeBreakdown", () => {
  it("lists the steps, each run's start and totals, and its slowest files by import + tests", () => {
    const file = (f: string, importMs: number, testsMs: number) => ({
      file: f,
      project: "integration",
      importMs,
      setupMs: 100,
      testsMs,
    });
    const lines = timeBreakdown(
      [
        { label: "tsc", seconds: 20.04 },
        { label: "integration", seconds: 120 },
      ],
      [
        {
          projects: ["integration"],
          totalMs: 120_000,
          startMs: 15_000,
          files: [
            file("test/a.test.ts", 500, 2_000),
            file("test/b.test.ts", 3_000, 40_000),
            file("test/c.test.ts", 0, 10),
          ],
        },
      ],
      2,
    );
    expect(lines).toEqual([
      "steps: tsc 20.0 s · integration 120.0 s",
      "integration: 120.0 s in all; 15.0 s before the first file; 3 files, summed: import 3.5 s, tests 42.0 s, set-up 0.3 s",
      "  test/b.test.ts   43.0 s  (import 3.0 s, tests 40.0 s)",
      "  test/a.test.ts    2.5 s  (import 0.5 s, tests 2.0 s)",
    ]);
  });
});
