// The fake against real captures of wrangler 4.155.0 (golden/<case>/): same stdout, stderr and exit code, once
// ids, times, durations, sizes and log paths are masked.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runFake as run } from "./install.ts";
import { invoke } from "./invoke.ts";
import { type Account, emptyAccount } from "./state.ts";

const here = import.meta.dirname;
const root = mkdtempSync(join(tmpdir(), "fake-wrangler-golden-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Case {
  argv: string[];
  setup?: string[][];
  seed?: (a: Account) => void;
  stdin?: string;
  loggedOut?: boolean;
  /** Whose versions `{V1}`, `{V2}` in argv name. */
  worker?: string;
  /** Run as a process (stdin, streams, exit code through the CLI wrapper); the others answer in-process. */
  process?: boolean;
}

const E = ["--env", ""];
const edgeDeploy = ["deploy", "-c", "edge.toml", ...E];
const canary = [
  "versions",
  "upload",
  "-c",
  "edge.toml",
  ...E,
  "--tag",
  "canary-1",
  "--message",
  "canary build",
];
const kvId = (d: string) => (a: Account) => void a.kv.push({ id: d.repeat(32), title: `kv-${d}` });
const bucket = (name: string) => (a: Account) =>
  void a.buckets.push({ name, creation_date: "2025-01-01T00:00:00.000Z", cors: null });
const queue = (name: string) => (a: Account) =>
  void a.queues.push({ queue_id: "0".repeat(32), queue_name: name, created_on: "2025-01-01T00:00:00.000Z" });
const worker =
  (name: string, secrets: Record<string, string> = {}) =>
  (a: Account) => {
    a.workers[name] = {
      name,
      secrets,
      versions: [],
      deployments: [],
      migration_tag: null,
      routes: [],
      producers: [],
      consumers: [],
    };
  };
const all =
  (...fs: ((a: Account) => void)[]) =>
  (a: Account) => {
    for (const f of fs) f(a);
  };
const edgeReady = all(kvId("1"), worker("site-origin"));

const cases: Record<string, Case> = {
  "01-kv-namespace-create": { argv: ["kv", "namespace", "create", "CONFIG", "-c", "edge.toml", ...E] },
  "02-kv-namespace-create-env": {
    argv: ["kv", "namespace", "create", "CONFIG", "-c", "edge.toml", "--env", "staging"],
  },
  "03-kv-namespace-create-preview": {
    argv: ["kv", "namespace", "create", "CONFIG", "-c", "edge.toml", "--preview", ...E],
  },
  "04-kv-namespace-create-already-exists": {
    argv: ["kv", "namespace", "create", "CONFIG", "-c", "edge.toml", ...E],
    setup: [["kv", "namespace", "create", "CONFIG", "-c", "edge.toml", ...E]],
  },
  "05-kv-namespace-list": {
    argv: ["kv", "namespace", "list"],
    setup: [
      ["kv", "namespace", "create", "CONFIG", "-c", "edge.toml", ...E],
      ["kv", "namespace", "create", "CONFIG", "-c", "edge.toml", "--env", "staging"],
    ],
  },
  "06-not-logged-in": { process: true, argv: ["kv", "namespace", "list"], loggedOut: true },
  "07-r2-bucket-create": { argv: ["r2", "bucket", "create", "site-uploads", "-c", "origin.toml", ...E] },
  "08-r2-bucket-create-env": {
    argv: ["r2", "bucket", "create", "site-uploads-staging", "-c", "origin.toml", "--env", "staging"],
  },
  "09-r2-bucket-create-already-exists": {
    argv: ["r2", "bucket", "create", "site-uploads", "-c", "origin.toml", ...E],
    seed: bucket("site-uploads"),
  },
  "10-r2-bucket-list": {
    argv: ["r2", "bucket", "list"],
    seed: all(bucket("demo-assets"), bucket("demo-uploads")),
  },
  "11-r2-bucket-cors-set-noninteractive": {
    argv: ["r2", "bucket", "cors", "set", "site-uploads", "--file", "cors.json"],
    seed: bucket("site-uploads"),
  },
  "12-r2-bucket-cors-set-force": {
    argv: ["r2", "bucket", "cors", "set", "site-uploads", "--file", "cors.json", "--force"],
    seed: bucket("site-uploads"),
  },
  "13-r2-bucket-cors-list": {
    argv: ["r2", "bucket", "cors", "list", "site-uploads"],
    seed: bucket("site-uploads"),
    setup: [["r2", "bucket", "cors", "set", "site-uploads", "--file", "cors-example.json", "--force"]],
  },
  "14-r2-bucket-cors-list-empty": {
    argv: ["r2", "bucket", "cors", "list", "site-uploads"],
    seed: bucket("site-uploads"),
  },
  "15-queues-create": { argv: ["queues", "create", "site-jobs", "-c", "jobs.toml"] },
  "16-queues-create-already-exists": {
    argv: ["queues", "create", "site-jobs", "-c", "jobs.toml"],
    seed: queue("site-jobs"),
  },
  "17-queues-list": {
    argv: ["queues", "list"],
    seed: queue("demo-jobs"),
    setup: [["deploy", "-c", "q.toml"]],
  },
  "18-deploy-dry-run-no-env-warning": { argv: ["deploy", "-c", "edge.toml", "--dry-run"] },
  "19-deploy-dry-run-outdir": {
    argv: ["deploy", "-c", "edge.toml", "--env", "production", "--dry-run", "--outdir", "dist-edge"],
  },
  "20-deploy-service-binding-target-missing": {
    argv: ["deploy", "-c", "edge.toml", "--env", "staging"],
    seed: kvId("2"),
  },
  "21-secret-put-worker-missing-creates-draft": {
    process: true,
    argv: ["secret", "put", "EDGE_SECRET", "--name", "site-draft"],
    stdin: "s3cr3t-value",
  },
  "22-deploy-first-origin-staging": {
    argv: ["deploy", "-c", "origin.toml", "--env", "staging"],
    seed: all(bucket("site-uploads-staging"), queue("site-jobs-staging")),
  },
  "23-deploy-first-edge-staging-custom-domain": {
    argv: ["deploy", "-c", "edge.toml", "--env", "staging"],
    seed: all(kvId("2"), worker("site-origin-staging")),
  },
  "24-deploy-first-origin": {
    argv: ["deploy", "-c", "origin.toml", ...E],
    seed: all(bucket("site-uploads"), queue("site-jobs")),
  },
  "25-deploy-first-edge-workers-dev": { argv: edgeDeploy, seed: edgeReady },
  "26-deploy-first-jobs-crons-consumers": {
    argv: ["deploy", "-c", "jobs.toml"],
    seed: all(queue("site-jobs"), worker("site-edge")),
  },
  "27-deploy-first-edge-production-routes": {
    argv: ["deploy", "-c", "edge.toml", "--env", "production"],
    seed: all(kvId("3"), worker("site-origin-production")),
  },
  "29-secret-put-no-env-warning": {
    argv: ["secret", "put", "EDGE_SECRET", "-c", "edge.toml"],
    seed: worker("site-edge"),
    stdin: "v",
  },
  "30-secret-put-env": {
    argv: ["secret", "put", "EDGE_SECRET", "-c", "edge.toml", "--env", "staging"],
    seed: worker("site-edge-staging"),
    stdin: "v",
  },
  "31-secret-bulk-json": {
    argv: ["secret", "bulk", "secrets.json", "-c", "edge.toml", "--env", "staging"],
    seed: worker("site-edge-staging"),
  },
  "32-secret-bulk-dotenv": {
    argv: ["secret", "bulk", "secrets.env", "-c", "edge.toml", "--env", "staging"],
    seed: worker("site-edge-staging"),
  },
  "33-secret-bulk-stdin": {
    process: true,
    argv: ["secret", "bulk", "-c", "edge.toml", "--env", "staging"],
    seed: worker("site-edge-staging"),
    stdin: '{"ADMIN_TOKEN":"a","EDGE_SECRET":"b","OLD_SECRET":null}',
  },
  "34-secret-list-json": {
    argv: ["secret", "list", "-c", "edge.toml", "--env", "staging"],
    seed: worker("site-edge-staging", { EDGE_SECRET: "b", ADMIN_TOKEN: "a" }),
  },
  "35-secret-list-pretty": {
    argv: ["secret", "list", "-c", "edge.toml", "--env", "staging", "--format", "pretty"],
    seed: worker("site-edge-staging", { EDGE_SECRET: "b", ADMIN_TOKEN: "a" }),
  },
  "36-secret-list-worker-missing": { argv: ["secret", "list", "--name", "site-nope"] },
  "37-versions-upload": { argv: canary, seed: edgeReady, setup: [edgeDeploy] },
  "39-versions-upload-do-migration-pending-refused": {
    argv: ["versions", "upload", "-c", "origin-v2.toml", ...E],
    seed: all(bucket("site-uploads"), queue("site-jobs")),
    setup: [["deploy", "-c", "origin.toml", ...E]],
  },
  "40-versions-upload-worker-missing": { argv: ["versions", "upload", "-c", "bare.toml"] },
  "41-versions-deploy-split": {
    process: true,
    argv: [
      "versions",
      "deploy",
      "{V2}@10%",
      "{V1}@90%",
      "-y",
      "--message",
      "canary 10%",
      "-c",
      "edge.toml",
      ...E,
    ],
    seed: edgeReady,
    setup: [edgeDeploy, canary],
    worker: "site-edge",
  },
  "42-deploy-while-split-warning": {
    argv: edgeDeploy,
    seed: edgeReady,
    setup: [
      edgeDeploy,
      canary,
      ["versions", "deploy", "{V2}@10%", "{V1}@90%", "-y", "-c", "edge.toml", ...E],
    ],
    worker: "site-edge",
  },

  "46-versions-deploy-percent-sum-error": {
    argv: ["versions", "deploy", "{V2}@10%", "-y", "-c", "edge.toml", ...E],
    seed: edgeReady,
    setup: [edgeDeploy, canary],
    worker: "site-edge",
  },
  "47-versions-deploy-none-selected": {
    argv: ["versions", "deploy", "-y", "-c", "edge.toml", ...E],
    seed: edgeReady,
    setup: [edgeDeploy],
  },
  "48-versions-deploy-no-nonversioned-settings": {
    argv: ["versions", "deploy", "{V1}@100%", "-y", "--message", "jobs", "-c", "jobs.toml"],
    seed: all(queue("site-jobs"), worker("site-edge")),
    setup: [["deploy", "-c", "jobs.toml"]],
    worker: "site-jobs",
  },
  "55-rollback-default": {
    argv: ["rollback", "--message", "bad canary", "-y", "-c", "edge.toml", ...E],
    seed: edgeReady,
    setup: [
      edgeDeploy,
      canary,
      ["versions", "deploy", "{V2}@100%", "-y", "-c", "edge.toml", ...E],
      ["versions", "deploy", "{V1}@100%", "-y", "-c", "edge.toml", ...E],
    ],
    worker: "site-edge",
  },

  "57-deploy-bare": { argv: ["deploy", "-c", "bare.toml"] },
  "58-rollback-nothing-to-roll-back": {
    argv: ["rollback", "-y", "-c", "bare.toml"],
    setup: [["deploy", "-c", "bare.toml"]],
  },
  "59-whoami": { argv: ["whoami"] },
  "60-whoami-json": { argv: ["whoami", "--json"] },
  "61-whoami-not-logged-in": { argv: ["whoami"], loggedOut: true },
  "62-whoami-json-not-logged-in": { process: true, argv: ["whoami", "--json"], loggedOut: true },
  "65-env-not-inherited-warnings": { argv: ["deploy", "-c", "inh.toml", "--env", "staging", "--dry-run"] },
  "66-env-not-defined-warning": { argv: ["deploy", "-c", "jobs.toml", "--env", "production", "--dry-run"] },
  "67-deploy-new-worker-required-secrets-missing": { argv: ["deploy", "-c", "sec.toml"] },
  "68-deploy-new-worker-secrets-file": { argv: ["deploy", "-c", "sec.toml", "--secrets-file", "sec.env"] },
};

/** Masks what differs between any two runs (or between the fake and the mock API the captures used). */
function mask(text: string): string {
  return text
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, "<uuid>")
    .replace(/https:\/\/[0-9a-f]{8}-/g, "https://<id8>-")
    .replace(/\b[0-9a-f]{32}\b/g, "<hex32>")
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, "<time>")
    .replace(/\(\d+\.\d\d sec\)/g, "(<s> sec)")
    .replace(/Logs were written to "[^"]*"/g, 'Logs were written to "<log>"')
    .replace(/Total Upload: [\d.]+ KiB \/ gzip: [\d.]+ KiB/g, "Total Upload: <size>");
}

function runFake(dir: string, argv: string[], c: Case, stdin = "") {
  const env = {
    ...process.env,
    FAKE_WRANGLER_STATE: join(dir, "state"),
    CLOUDFLARE_ACCOUNT_ID: "acc123",
    CLOUDFLARE_API_TOKEN: c.loggedOut ? undefined : "fake-token",
    CLOUDFLARE_ENV: undefined,
    WRANGLER_OUTPUT_FILE_PATH: undefined,
  } as NodeJS.ProcessEnv;
  const state = (() => {
    try {
      return JSON.parse(readFileSync(join(dir, "state", "state.json"), "utf8")) as Account;
    } catch {
      return null;
    }
  })();
  const ids = (c.worker && state?.workers[c.worker]?.versions.map((v) => v.id)) || [];
  const args = argv.map((a) =>
    a.replace(/\{V(\d)\}/g, (_, n: string) => ids[Number(n) - 1] ?? "missing-version"),
  );
  if (c.process) return run(args, { cwd: join(dir, "proj"), env, input: stdin });
  const r = invoke({ argv: args, cwd: join(dir, "proj"), env, stdin });
  return Promise.resolve({ status: r.code, stdout: r.stdout, stderr: r.stderr });
}

describe("fake wrangler matches the captured runs of wrangler 4.155.0", () => {
  it.concurrent.each(Object.keys(cases))("%s", async (name) => {
    const c = cases[name] as Case;
    const dir = join(root, name);
    cpSync(join(here, "golden", "_fixtures"), join(dir, "proj"), { recursive: true });
    const account = emptyAccount();
    c.seed?.(account);
    mkdirSync(join(dir, "state"));
    writeFileSync(join(dir, "state", "state.json"), JSON.stringify(account));
    for (const step of c.setup ?? []) {
      const r = await runFake(dir, step, c);
      expect(r.status, `setup ${step.join(" ")}: ${r.stderr}`).toBe(0);
    }
    const r = await runFake(dir, c.argv, c, c.stdin);
    const want = (f: string) => readFileSync(join(here, "golden", name, f), "utf8");
    expect(mask(r.stdout)).toBe(mask(want("stdout.txt")));
    expect(mask(r.stderr)).toBe(mask(want("stderr.txt")));
    expect(String(r.status)).toBe(want("exit-code.txt").trim());
  });
});
