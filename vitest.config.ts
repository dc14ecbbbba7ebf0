// Test projects: unit tests beside the code (inside workerd), Node-side script tests, and integration tests
// that drive the real edge → origin → Postgres/Redis path (SELF is the edge Worker; origin and jobs are bundled).
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { readConfig, runtimeOf, testWorker } from "./scripts/lib/test-workers.ts";

// Names, bindings and the runtime come from the wrangler configs (scripts/deploy/configs-agree.test.ts checks
// that the three agree); only test-only settings are set here.
const edge = readConfig("wrangler.toml");
const origin = readConfig("workers/origin/wrangler.toml");
const jobs = readConfig("workers/jobs/wrangler.toml");
const runtime = runtimeOf(edge);

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [cloudflareTest({ miniflare: runtime })],
        test: {
          name: "unit",
          include: ["shared/**/*.test.{ts,tsx}", "workers/**/*.test.{ts,tsx}"],
          // What each Worker's entry sets up (zod's English messages), and the test hooks of a test build.
          setupFiles: ["shared/http/z.ts", "test/setup/test-hooks.ts"],
          // One runtime for all files: these are pure functions and the engine with fakes; no file leaks state.
          isolate: false,
        },
      },
      {
        test: {
          name: "node",
          environment: "node",
          include: ["scripts/**/*.test.ts", "bench/**/*.test.ts"],
          setupFiles: ["shared/http/z.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [
          cloudflareTest(({ inject }) => {
            const vars = inject("workerVars");
            const bundles = inject("bundles");
            return {
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: vars.edge,
                workers: [
                  {
                    ...testWorker(origin, { vars: vars.origin }),
                    scriptPath: bundles.origin,
                  },
                  {
                    ...testWorker(jobs, {
                      vars: vars.jobs,
                      // The main (edge) Worker runs as the plugin's runner, named after the project.
                      services: { [edge.name ?? ""]: "vitest-plugin-runner-integration" },
                      // Jobs run promptly instead of waiting for a fuller batch.
                      maxBatchTimeout: 0.2,
                    }),
                    scriptPath: bundles.jobs,
                  },
                ],
              },
            };
          }),
        ],
        test: {
          name: "integration",
          include: ["test/**/*.test.{ts,tsx}"],
          exclude: ["test/browser/**"],
          // Before the browser tests, which share its stack (test/setup/global.ts).
          sequence: { groupOrder: 0 },
          globalSetup: ["test/setup/global.ts"],
          // What the bundles get from their configs: the origin app some files import directly needs it too.
          setupFiles: ["test/setup/test-hooks.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // One file at a time: the files share one Postgres and one Redis. One runtime for all of them: a fresh
          // one per file costs seconds each and isolates nothing the shared services do not share anyway.
          fileParallelism: false,
          isolate: false,
        },
      },
      {
        // Real Chromium against the site over HTTP (the same bundles, on the integration tests' stack, after them).
        test: {
          name: "browser",
          environment: "node",
          include: ["test/browser/**/*.test.ts"],
          globalSetup: ["test/setup/browser.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
