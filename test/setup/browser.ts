// Browser-test global setup: the integration tests' stack (shared, test/setup/global.ts) and where Chromium is. The
// tests start the site over HTTP themselves, so no second set of Workers runs while the integration tests do.
// No browser: the tests are skipped, and this says how to get one.
import { existsSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { WORKER_CONFIGS } from "../../scripts/lib/workers.ts";
import { acquireTestStack, stackInfo, testWorkerVars } from "./global.ts";

const ROLES = ["edge", "origin", "jobs"] as const;
const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

export function findChromium(): string | null {
  const given = process.env.CHROMIUM_PATH;
  if (given) return existsSync(given) ? given : null;
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

export default async function setup(project: TestProject) {
  const executablePath = findChromium();
  if (!executablePath) {
    const why = "no browser, install with `apt-get install chromium` (or set CHROMIUM_PATH)";
    console.log(`\nbrowser tests skipped: ${why}\n`);
    project.provide("browser", { skipped: why });
    return;
  }
  const { shared, release } = await acquireTestStack();
  const vars = testWorkerVars(shared, "http://127.0.0.1");
  project.provide("browser", {
    executablePath,
    root: shared.root,
    // The bundles the integration tests run, with their wrangler configs: the same three Workers, over HTTP.
    workers: ROLES.map((role, i) => ({
      configPath: WORKER_CONFIGS[i] ?? "",
      prebuiltWorkerDir: shared.bundleOf(role).dir,
      vars: vars[role],
    })),
  });
  project.provide("stack", stackInfo(shared));
  return release;
}
