// Test projects: unit tests beside the code (inside workerd), Node-side script tests, and integration tests
// that drive the real edge → origin → Postgres/Redis path (SELF is the edge Worker; origin and jobs are bundled).
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { unstable_readConfig } from "wrangler";

/** The [vars] a Worker's wrangler.toml declares, so bundled aux Workers get the same defaults as in dev. */
function configVars(config: string): Record<string, string> {
  const vars = unstable_readConfig({ config }).vars;
  return Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, String(v)]));
}

const runtime = { compatibilityDate: "2026-10-20", compatibilityFlags: ["nodejs_compat"] };
const KV_ID = "00000000000000000000000000000000";

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [cloudflareTest({ miniflare: runtime })],
        test: {
          name: "unit",
          include: ["shared/**/*.test.{ts,tsx}", "workers/**/*.test.{ts,tsx}"],
          // What each Worker's entry sets up (zod's English messages).
          setupFiles: ["shared/http/z.ts"],
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
                    ...runtime,
                    name: "edgeplate-origin",
                    modules: true,
                    scriptPath: bundles.origin,
                    bindings: { ...configVars("workers/origin/wrangler.toml"), ...vars.origin },
                    kvNamespaces: { CONFIG: KV_ID },
                    r2Buckets: { UPLOADS: "edgeplate-uploads" },
                    queueProducers: { JOBS: { queueName: "edgeplate-jobs" } },
                  },
                  {
                    ...runtime,
                    name: "edgeplate-jobs",
                    modules: true,
                    scriptPath: bundles.jobs,
                    bindings: { ...configVars("workers/jobs/wrangler.toml"), ...vars.jobs },
                    kvNamespaces: { CONFIG: KV_ID },
                    r2Buckets: { UPLOADS: "edgeplate-uploads" },
                    // The main (edge) Worker runs as the plugin's runner, named after the project.
                    serviceBindings: { EDGE: "vitest-plugin-runner-integration" },
                    queueProducers: { JOBS: { queueName: "edgeplate-jobs" } },
                    queueConsumers: {
                      "edgeplate-jobs": {
                        maxBatchSize: 10,
                        maxBatchTimeout: 0.2,
                        maxRetries: 5,
                        deadLetterQueue: "edgeplate-jobs-dlq",
                      },
                      "edgeplate-jobs-dlq": { maxBatchSize: 10, maxBatchTimeout: 0.2 },
                    },
                  },
                ],
              },
            };
          }),
        ],
        test: {
          name: "integration",
          include: ["test/**/*.test.{ts,tsx}"],
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
    ],
  },
});
