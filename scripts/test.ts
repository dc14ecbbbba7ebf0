// `npm test`: binding-type drift, typecheck, lint/format, migration safety, then unit, Node, integration and browser
// tests.
//
// Two lanes at once: the integration tests (one file at a time, mostly waiting on real services) and everything
// else (CPU: checks, then the unit and Node tests). Each lane's output is printed when it ends; a line per step
// says how far things are.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { parseArgs } from "node:util";
import { fail, step } from "./lib/progress.ts";
import { type RunTimes, timeBreakdown } from "./lib/test-times.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { fast: { type: "boolean", default: false } },
});

type Result = { label: string; ok: boolean; output: string; seconds: number };

function run(label: string, cmd: string, args: string[]): Promise<Result> {
  step(label, [cmd, ...args].join(" "));
  const t = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      env: { ...process.env, FORCE_COLOR: process.env.CI ? "0" : "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("close", (code) => {
      const seconds = (Date.now() - t) / 1000;
      step(label, `${code === 0 ? "ok" : "FAILED"} (${seconds.toFixed(1)} s)`);
      resolve({ label, ok: code === 0, output, seconds });
    });
  });
}

/** Steps one after another; stops at the first failure. */
async function sequence(steps: Array<[string, string, string[]]>): Promise<Result[]> {
  const done: Result[] = [];
  for (const [label, cmd, args] of steps) {
    const r = await run(label, cmd, args);
    done.push(r);
    if (!r.ok) break;
  }
  return done;
}

const vitest = (report: string, projects: string[]) => [
  "vitest",
  "run",
  ...projects.flatMap((p) => ["--project", p]),
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${report}`,
  // Where the time went, per file (printed at the end).
  "--reporter=./scripts/lib/time-reporter.ts",
  // A filter (`npm test -- test/jobs.test.ts`) may match files of one lane only.
  "--passWithNoTests",
  ...positionals,
];
const REPORTS = { checks: ".build/vitest-report.json", integration: ".build/vitest-integration.json" };
const TIMES = [".build/test-times-node+unit.json", ".build/test-times-integration.json"];
for (const f of TIMES) rmSync(f, { force: true });

const checks: Array<[string, string, string[]]> = values.fast
  ? []
  : [
      ["types", "bash", ["scripts/gen-types.sh", "--check"]],
      ["assets", "npx", ["tsx", "scripts/build-assets.ts"]],
      ["tsc", "npx", ["tsc", "-p", "."]],
      ["lint", "npx", ["biome", "ci", "."]],
      ["migrations", "npx", ["tsx", "scripts/db/check-migrations.ts"]],
    ];

const [checkLane, integrationLane] = await Promise.all([
  sequence([...checks, ["unit+node", "npx", vitest(REPORTS.checks, ["unit", "node"])]]),
  // The browser tests run after the integration tests on their stack (vitest's groupOrder; test/setup/browser.ts).
  sequence([["integration", "npx", vitest(REPORTS.integration, ["integration", "browser"])]]),
]);

const results = [...checkLane, ...integrationLane];
for (const r of results) {
  if (r.ok && r.label !== "unit+node" && r.label !== "integration") continue;
  console.log(`\n── ${r.label} ${"─".repeat(Math.max(0, 70 - r.label.length))}\n${r.output.trimEnd()}`);
}
// Where the time went: every step, then each vitest run's start and slowest files (import vs tests).
const runTimes = TIMES.filter((f) => existsSync(f)).map(
  (f) => JSON.parse(readFileSync(f, "utf8")) as RunTimes,
);
console.log(`\n── time ${"─".repeat(66)}\n${timeBreakdown(results, runTimes).join("\n")}`);
const failed = results.filter((r) => !r.ok);
const ran = checkLane.length === checks.length + 1 && integrationLane.length === 1;
if (failed.length > 0 || !ran) {
  fail(`${failed.map((r) => r.label).join(", ") || "a step"} failed; see its output above`);
}

type Totals = {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
};
const totals = Object.values(REPORTS).map((f) => JSON.parse(readFileSync(f, "utf8")) as Totals);
const sum = (k: keyof Totals) => totals.reduce((n, t) => n + t[k], 0);
step("done", "all checks passed");
console.log(
  `${sum("numPassedTests")} passed, ${sum("numFailedTests")} failed, ${sum("numPendingTests") + sum("numTodoTests")} skipped`,
);
