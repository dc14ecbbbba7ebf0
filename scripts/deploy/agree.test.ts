// The three wrangler configs agree in every environment, and the jobs Worker's code agrees with its queues.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { DEAD_LETTER_QUEUE, isDeadLetterQueue, JOBS_QUEUE, SITE } from "../../shared/site/index.ts";
import { readConfig, testWorker } from "../lib/test-workers.ts";
import { disagreements } from "./agree.ts";
import { environments, readWorkers, type WorkerConfig } from "./configs.ts";

const root = resolve(import.meta.dirname, "../..");

const worker = (config: string, w: Partial<WorkerConfig>): WorkerConfig => ({
  role: config,
  config,
  env: "",
  name: `site-${config}`,
  compatibilityDate: "2026-01-01",
  compatibilityFlags: ["nodejs_compat"],
  services: [],
  objects: [],
  kv: [],
  r2: [],
  producers: [],
  consumers: [],
  routes: [],
  workersDev: false,
  migrationTags: [],
  secrets: [],
  vars: {},
  ...w,
});

describe("disagreements", () => {
  const jobs = { queue: "site-jobs", deadLetterQueue: "site-jobs-dlq" };
  const fitting = [
    worker("edge", {
      services: [{ binding: "ORIGIN", service: "site-origin" }],
      objects: [{ binding: "BOARD", service: "site-origin" }],
      kv: [{ binding: "C", id: "1" }],
    }),
    worker("origin", {
      kv: [{ binding: "C", id: "1" }],
      r2: [{ binding: "U", bucket: "b" }],
      producers: [{ binding: "JOBS", queue: "site-jobs" }],
      vars: { R2_BUCKET: "b", ENVIRONMENT: "x" },
    }),
    worker("jobs", {
      r2: [{ binding: "U", bucket: "b" }],
      consumers: [jobs, { queue: "site-jobs-dlq", deadLetterQueue: null }],
      services: [{ binding: "MAIL", service: "someone-elses-worker" }],
      vars: { ENVIRONMENT: "x" },
    }),
  ];

  it("finds none in configs that fit together (a Worker outside the site may be bound)", () => {
    expect(disagreements(fitting)).toEqual([]);
  });

  it("names each mismatch", () => {
    const [edge, origin, jobsWorker] = fitting as [WorkerConfig, WorkerConfig, WorkerConfig];
    const found = disagreements([
      {
        ...edge,
        compatibilityDate: "2025-01-01",
        services: [{ binding: "ORIGIN", service: "site-origin-staging" }],
        objects: [{ binding: "BOARD", service: "site-origin-staging" }],
      },
      { ...origin, kv: [{ binding: "C", id: "2" }], vars: { R2_BUCKET: "other", ENVIRONMENT: "y" } },
      { ...jobsWorker, r2: [{ binding: "U", bucket: "c" }], consumers: [jobs] },
    ]);
    expect(found).toEqual([
      expect.stringMatching(
        /^runtime: compatibility_date differs: "2025-01-01" in edge; "2026-01-01" in origin, jobs$/,
      ),
      'KV namespace id of binding C differs: "1" in edge; "2" in origin',
      'R2 bucket of binding U differs: "b" in origin; "c" in jobs',
      'var ENVIRONMENT differs: "y" in origin; "x" in jobs',
      expect.stringMatching(/^edge: service binding ORIGIN targets "site-origin-staging", which is none of/),
      expect.stringMatching(
        /^edge: Durable Object binding BOARD is hosted by "site-origin-staging", which is none/,
      ),
      'origin: var R2_BUCKET "other" is not the bucket it binds (b)',
      "dead-letter queue site-jobs-dlq has no consumer: dead jobs would go unrecorded",
    ]);
    expect(disagreements([origin])).toEqual(["queue site-jobs is produced but no Worker consumes it"]);
  });
});

describe("the project's wrangler configs", () => {
  const envs = ["", ...environments(root)];

  it("define the same deployed environments", () => {
    expect(environments(root)).toEqual(["staging", "production"]);
  });

  it.each(envs.map((e) => [e || "top level", e]))("agree with each other (%s)", (_, env) => {
    expect(disagreements(readWorkers(root, env))).toEqual([]);
  });

  it.each(envs.map((e) => [e || "top level", e]))(
    "name the jobs queues as the jobs Worker expects (%s)",
    (_, env) => {
      const consumers = readWorkers(root, env).flatMap((w) => w.consumers);
      const suffix = env ? `-${env}` : "";
      expect(consumers.map((c) => c.queue).sort()).toEqual(
        [`${JOBS_QUEUE}${suffix}`, `${DEAD_LETTER_QUEUE}${suffix}`].sort(),
      );
      for (const c of consumers) expect(isDeadLetterQueue(c.queue), c.queue).toBe(c.deadLetterQueue === null);
    },
  );

  it("give the job queue the retries the consumer counts on", () => {
    const source = readFileSync(join(root, "workers/jobs/queue.ts"), "utf8");
    const inCode = Number(/const PLATFORM_MAX_RETRIES = (\d+);/.exec(source)?.[1]);
    for (const env of envs) {
      const jobs = readConfig(join(root, "workers/jobs/wrangler.toml"), env);
      const main = jobs.queues.consumers?.find((c) => c.dead_letter_queue);
      expect(main?.max_retries, env).toBe(inCode);
    }
  });

  it("carry the site's name (shared/site) in every Worker's name", () => {
    for (const env of envs) {
      for (const w of readWorkers(root, env))
        expect(w.name).toBe(`${SITE.name}-${w.role}${env ? `-${env}` : ""}`);
    }
  });

  it("are what the integration tests run: the aux Workers' bindings come from the configs", () => {
    const jobs = testWorker(readConfig(join(root, "workers/jobs/wrangler.toml")), {
      services: { [`${SITE.name}-edge`]: "runner" },
      maxBatchTimeout: 0.2,
    });
    expect(jobs.serviceBindings).toEqual({ EDGE: "runner" });
    expect(jobs.queueConsumers[JOBS_QUEUE]).toEqual({
      maxBatchSize: 10,
      maxBatchTimeout: 0.2,
      maxRetries: 5,
      deadLetterQueue: DEAD_LETTER_QUEUE,
    });
    expect(jobs.queueProducers).toEqual({ JOBS: { queueName: JOBS_QUEUE } });
    const origin = testWorker(readConfig(join(root, "workers/origin/wrangler.toml")), {
      vars: { TEST_HOOKS: "true" },
    });
    expect(origin.bindings.TEST_HOOKS).toBe("true");
    expect(origin.r2Buckets).toEqual({ UPLOADS: origin.bindings.R2_BUCKET });
  });
});
