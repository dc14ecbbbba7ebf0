// `npm test`: binding-type drift, typecheck, lint/format, migration safety, then unit + integration tests.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { fail, step } from "./lib/progress.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { fast: { type: "boolean", default: false } },
});

function run(label: string, cmd: string, args: string[]): void {
  step(label, [cmd, ...args].join(" "));
  const t = Date.now();
  const res = spawnSync(cmd, args, {
    stdio: "inherit",
    env: { ...process.env, FORCE_COLOR: process.env.CI ? "0" : "1" },
  });
  if (res.status !== 0) fail(`${label} failed (${[cmd, ...args].join(" ")}); see the output above`);
  step(label, `ok (${((Date.now() - t) / 1000).toFixed(1)} s)`);
}

if (!values.fast) {
  run("types", "bash", ["scripts/gen-types.sh", "--check"]);
  run("assets", "npx", ["tsx", "scripts/build-assets.ts"]);
  run("tsc", "npx", ["tsc", "-p", "."]);
  run("lint", "npx", ["biome", "ci", "."]);
  run("migrations", "npx", ["tsx", "scripts/db/check-migrations.ts"]);
  // The real `wrangler deploy --dry-run` of all three Workers, once: sizes against the budgets here, and the
  // bundles the integration tests run (reused by their setup while nothing changed).
  run("bundles", "npx", ["tsx", "scripts/deploy/bundle.ts"]);
}
const report = ".build/vitest-report.json";
run("vitest", "npx", [
  "vitest",
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${report}`,
  ...positionals,
]);
const totals = JSON.parse(readFileSync(report, "utf8")) as {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
};
step("done", "all checks passed");
console.log(
  `${totals.numPassedTests} passed, ${totals.numFailedTests} failed, ${totals.numPendingTests + totals.numTodoTests} skipped`,
);
