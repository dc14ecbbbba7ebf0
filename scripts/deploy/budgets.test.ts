import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { BUDGETS_KIB, checkBudgets, contributors, ENFORCE_BUDGETS, owner } from "./budgets.ts";
import { type Bundle, bundleWorkers, sizeReport } from "./bundle.ts";

const root = resolve(import.meta.dirname, "../..");

describe("budget check", () => {
  it("reports each Worker's raw and gzip size against its budget and lists the ones over", () => {
    const { lines, over } = checkBudgets(
      [
        { role: "edge", raw: 200 * 1024, gzip: 60 * 1024 },
        { role: "origin", raw: 900 * 1024, gzip: 240 * 1024 },
        { role: "cron", raw: 1024, gzip: 512 },
      ],
      { edge: 50, origin: 250 },
    );
    expect(over).toEqual([{ role: "edge", raw: 200 * 1024, gzip: 60 * 1024, budget: 50 }]);
    expect(lines[0]).toMatch(/^edge\s+200\.0 KiB raw\s+60\.0 KiB gzip {2}budget 50 KiB: over by 10\.0 KiB$/);
    expect(lines[1]).toContain("10.0 KiB left");
    expect(lines[2]).toContain("no budget");
  });

  it("names the biggest contributors by package or project folder from esbuild's metafile", () => {
    const meta = {
      outputs: {
        "out/index.js.map": { bytes: 9_999_999, inputs: {} },
        "out/index.js": {
          bytes: 1000,
          inputs: {
            "node_modules/zod/v4/core/schemas.js": { bytesInOutput: 500 },
            "node_modules/zod/v4/classic/schemas.js": { bytesInOutput: 200 },
            "node_modules/@neondatabase/serverless/index.mjs": { bytesInOutput: 300 },
            "shared/flags/evaluate.ts": { bytesInOutput: 150 },
            "index.ts": { bytesInOutput: 10 },
          },
        },
      },
    };
    expect(contributors(meta, 3)).toEqual([
      { name: "zod", bytes: 700 },
      { name: "@neondatabase/serverless", bytes: 300 },
      { name: "shared/flags", bytes: 150 },
    ]);
    expect(owner("../../node_modules/hono/dist/index.js")).toBe("hono");
  });
});

describe("the three Workers as production deploys them, bundled by the real wrangler", () => {
  let bundles: Bundle[] = [];

  it("bundle (once per change) and measure what wrangler uploads", async () => {
    // The deployed environment, not the top level: its bundles leave out the test-only code (__TEST_HOOKS__).
    bundles = await bundleWorkers({ root, env: "production" });
    expect(bundles.map((b) => b.role).sort()).toEqual(Object.keys(BUDGETS_KIB).sort());
    for (const b of bundles) {
      const stamp = JSON.parse(readFileSync(join(b.dir, "inputs.json"), "utf8")) as {
        wranglerSays: { rawKiB: number; gzipKiB: number };
      };
      // Same numbers as wrangler's "Total Upload" line (it rounds to 0.01 KiB).
      expect(Math.abs(b.raw / 1024 - stamp.wranglerSays.rawKiB)).toBeLessThan(0.01);
      expect(Math.abs(b.gzip / 1024 - stamp.wranglerSays.gzipKiB)).toBeLessThan(0.01);
    }
    const report = sizeReport(bundles);
    console.log(["bundle sizes:", ...report.lines, ...report.over].join("\n  "));
  });

  it("leave out the test-only code", () => {
    // Strings only the test hooks use (headers, fields, messages, routes), which minifying keeps.
    const markers = [
      "x-test-",
      "x-search-facets",
      "x-query-log",
      "x-db-routes",
      "x-db-read-only",
      "x-redis-log",
      "failTimes",
      "test hook:",
      "test outage",
      "/_test/page",
      "/_test/throw",
    ];
    expect(bundles).not.toEqual([]);
    for (const b of bundles) {
      const code = readdirSync(b.dir)
        .filter((f) => /\.m?js$/.test(f))
        .map((f) => readFileSync(join(b.dir, f), "utf8"))
        .join("\n");
      expect({ role: b.role, found: markers.filter((m) => code.includes(m)) }).toEqual({
        role: b.role,
        found: [],
      });
    }
  });

  it.skipIf(!ENFORCE_BUDGETS)("stay within their gzip budgets", () => {
    const { over } = sizeReport(bundles);
    expect(over, over.join("\n")).toEqual([]);
  });
});
