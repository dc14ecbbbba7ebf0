// Test support: a copy of the project's wrangler configs in a temp folder, the fake wrangler on PATH, and a
// context that records what the commands print.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { WORKER_CONFIGS } from "../lib/workers.ts";
import { type Context, context } from "./context.ts";
import { type FakeWrangler, installFakeWrangler } from "./fake-wrangler/install.ts";
import { invoke } from "./fake-wrangler/invoke.ts";
import type { Checks } from "./preflight.ts";
import type { Exec } from "./wrangler.ts";

/** The fake answering in this process (its argv parsing, output and account are the same as a process's). */
const inProcess: Exec = async (args, opts) => {
  const r = invoke({ argv: args, cwd: opts.cwd, env: opts.env, stdin: opts.input });
  opts.onData(r.stdout + r.stderr);
  return r;
};

const repo = resolve(import.meta.dirname, "../..");

export interface TestProject {
  root: string;
  fake: FakeWrangler;
  output: string[];
  /**
   * A context whose wrangler is the fake: answered in-process by default (the same code, without a process
   * per call); `viaPath` starts the fake as a process from PATH, exactly as the real wrangler is started.
   */
  ctx(env?: Record<string, string>, how?: { viaPath?: boolean }): Context;
  /** What the stub checks saw: "typecheck", "safety", "migrate <url>". */
  checked: string[];
  checks: Checks;
  edit(config: string, change: (text: string) => string): void;
  /** The fake's calls as command lines, from call `from` on. */
  commands(from?: number): string[];
  cleanup(): void;
}

export function testProject(options: { loggedIn?: boolean } = {}): TestProject {
  const dir = mkdtempSync(join(tmpdir(), "deploy-test-"));
  const root = join(dir, "project");
  for (const config of WORKER_CONFIGS) {
    cpSync(join(repo, config), join(root, config));
    // Every test starts from the template's unrouted edge (a site's own domains are in no fake zone); tests that
    // need a route add one.
    writeFileSync(
      join(root, config),
      readFileSync(join(root, config), "utf8").replace(/^routes = .*\n/gm, ""),
    );
  }
  for (const env of ["staging", "production"]) {
    cpSync(
      join(repo, `workers/origin/r2-cors.${env}.json`),
      join(root, `workers/origin/r2-cors.${env}.json`),
    );
  }
  cpSync(join(repo, "workers/edge/static"), join(root, "workers/edge/static"), { recursive: true });
  return around(dir, installFakeWrangler(join(dir, "fake"), options));
}

/** A copy of `p` (configs, account, bundles) that tests can change without touching `p`. */
export function cloneProject(p: TestProject): TestProject {
  const dir = mkdtempSync(join(tmpdir(), "deploy-test-"));
  cpSync(dirname(p.root), dir, { recursive: true });
  return around(dir, installFakeWrangler(join(dir, "fake")));
}

function around(dir: string, fake: FakeWrangler): TestProject {
  const root = join(dir, "project");
  const output: string[] = [];
  const checked: string[] = [];
  return {
    root,
    fake,
    output,
    checked,
    ctx: (env = {}, how = {}) =>
      context({
        root,
        env: { ...fake.env, ...env },
        log: (line) => output.push(line),
        ...(how.viaPath ? {} : { exec: inProcess }),
      }),
    checks: {
      typecheck: async () => void checked.push("typecheck"),
      migrationSafety: async () => void checked.push("safety"),
      migrate: async (_ctx, url) => void checked.push(`migrate ${url}`),
    },
    edit(config, change) {
      const path = join(root, config);
      writeFileSync(path, change(readFileSync(path, "utf8")));
    },
    commands: (from = 0) =>
      fake
        .calls()
        .slice(from)
        .map((c) => c.argv.join(" ")),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Values for every secret the configs require that is not generated. */
export const SECRET_VALUES: Record<string, string> = {
  DATABASE_URL: "postgres://app:pw@ep-1-pooler.eu-central-1.aws.neon.tech/app",
  REPLICA_URLS: "postgres://app:pw@ep-2-pooler.eu-central-1.aws.neon.tech/app",
  UPSTASH_REDIS_REST_URL: "https://eu1-example.upstash.io",
  UPSTASH_REDIS_REST_TOKEN: "upstash-token",
  R2_ACCESS_KEY_ID: "r2-key-id",
  R2_SECRET_ACCESS_KEY: "r2-secret",
  TURNSTILE_SECRET_KEY: "0x4AAAAAAA-a-real-looking-turnstile-secret",
  CF_API_TOKEN: "cf-purge-token",
};
