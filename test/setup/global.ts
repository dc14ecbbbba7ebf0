// Integration-test global setup: the real local stack on test ports, plus bundles of the origin and jobs Workers.
import { rm } from "node:fs/promises";
import { createServer } from "node:http";
import { join, resolve } from "node:path";
import type { TestProject } from "vitest/node";
import { type Bundle, bundleWorkers } from "../../scripts/deploy/bundle.ts";
import { freePort } from "../../scripts/stack/free-port.ts";
import {
  type FaultAction,
  type FaultTarget,
  type Stack,
  type StackPorts,
  startStack,
} from "../../scripts/stack/index.ts";
import { workerVars } from "../../scripts/stack/worker-vars.ts";
import { type FakeAccess, startFakeAccess } from "./access.ts";

declare module "vitest" {
  export interface ProvidedContext {
    workerVars: {
      edge: Record<string, string>;
      origin: Record<string, string>;
      jobs: Record<string, string>;
    };
    stack: {
      primaryUrl: string;
      replicaUrl: string;
      neonProxy: string;
      adminToken: string;
      control: string;
      /** The cloud API fakes (Turnstile, Resend, Sentry ingest); GET /_fake/sentry lists what arrived. */
      fakes: string;
    };
    bundles: { origin: string; jobs: string };
    /** `npm run faults`: more load per fault scenario, and the full table printed. */
    faults: { scale: number; report: boolean };
    /** Longer runs of the statistical tests than `npm test` makes (env RYW_TRIALS). */
    soak: { rywTrials: number };
    /** The stand-in Cloudflare Access team the origin trusts (test/setup/access.ts). */
    access: { teamDomain: string; aud: string; privateJwk: import("jose").JWK; kid: string };
    /** The site over HTTP for a real browser, or why there is none (test/setup/browser.ts). */
    browser:
      | {
          executablePath: string;
          root: string;
          workers: { configPath: string; prebuiltWorkerDir: string; vars: Record<string, string> }[];
        }
      | { skipped: string };
  }
}

/** Free ports can be taken between asking and listening (parallel runs); a clash retries on fresh ports. */
async function startOnFreePorts(dataDir: string, log: (l: string) => void) {
  for (let attempt = 1; ; attempt++) {
    const ports: StackPorts = {
      primary: await freePort(),
      replica: await freePort(),
      neonProxy: await freePort(),
      redis: await freePort(),
      upstash: await freePort(),
      fakes: await freePort(),
    };
    try {
      return await startStack({
        dataDir,
        ports,
        // A real 1 s apply delay on the replica, so read-your-writes is tested against real lag.
        applyDelayMs: 1000,
        log,
        // Hermetic: the developer's DATABASE_URL / REDIS_URL never leak into the tests.
        env: {},
      });
    } catch (e) {
      const clash = /EADDRINUSE|already in use/i.test(String(e));
      if (!clash || attempt >= 3) throw e;
    }
  }
}

/** What the integration and browser projects share: one stack, one set of bundles, one control server. */
export interface TestStack {
  root: string;
  stack: Stack;
  built: Bundle[];
  bundleOf(role: string): Bundle;
  control: string;
  access: FakeAccess;
}

type Shared = { started: Promise<TestStack>; users: number; stop(): Promise<void> };
const SHARED = Symbol.for("edgeplate.test-stack");
const holder = globalThis as unknown as { [SHARED]?: Shared };

/**
 * The stack, started once per vitest run whichever project asks first (projects' setups run in one process) and
 * stopped when the last one lets go of it.
 */
export async function acquireTestStack(): Promise<{ shared: TestStack; release(): Promise<void> }> {
  let held = holder[SHARED];
  if (!held) {
    const started = startTestStack();
    held = {
      started,
      users: 0,
      stop: async () => {
        const s = await started;
        await s.stop();
      },
    };
    holder[SHARED] = held;
  }
  held.users++;
  const h = held;
  const shared = await h.started;
  return {
    shared,
    async release() {
      h.users--;
      if (h.users > 0) return;
      delete holder[SHARED];
      await h.stop();
    },
  };
}

async function startTestStack(): Promise<TestStack & { stop(): Promise<void> }> {
  const root = resolve(import.meta.dirname, "../..");
  const log = (l: string) => process.env.VERBOSE && console.log(`[stack] ${l}`);
  // Each run gets its own ports and data, so test runs never collide with `npm run dev` or each other.
  const run = `run-${process.pid}`;
  const dataDir = join(root, ".data/test", run);
  // The bundles and the stack at once: they wait on different things (esbuild, initdb, process starts). The
  // top-level bundles, with the test hooks compiled in (scripts/deploy/bundle.ts): built once, reused while nothing
  // changed; bundling also hashes the static assets the edge serves.
  const [built, stack, access] = await Promise.all([
    bundleWorkers({ root, env: "" }),
    startOnFreePorts(dataDir, log),
    startFakeAccess(),
  ]);
  const bundleOf = (role: string) => {
    const b = built.find((x) => x.role === role);
    if (!b) throw new Error(`no ${role} Worker among ${built.map((x) => x.role).join(", ")}`);
    return b;
  };
  // Failure tests stop and start real processes through this small local control server.
  const control = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://control");
    const delay = url.searchParams.get("applyDelayMs");
    const actions: Record<string, () => Promise<void>> = {
      "/replica/stop": () => stack.stopReplica(),
      "/replica/start": () => stack.startReplica(delay === null ? {} : { applyDelayMs: Number(delay) }),
      "/redis/stop": () => stack.stopRedis(),
      "/redis/start": () => stack.startRedis(),
    };
    const fault = /^\/fault\/([a-z-]+)\/(freeze|thaw|stop|start)$/.exec(url.pathname);
    const act =
      actions[url.pathname] ??
      (fault ? () => stack.fault(fault[1] as FaultTarget, fault[2] as FaultAction) : undefined);
    if (!act || req.method !== "POST") return void res.writeHead(404).end();
    act()
      .then(() => res.writeHead(204).end())
      .catch((e: unknown) => res.writeHead(500).end(String(e)));
  });
  await new Promise<void>((r) => control.listen(0, "127.0.0.1", r));
  const address = control.address();
  const controlPort = typeof address === "object" && address ? address.port : 0;
  return {
    root,
    stack,
    built,
    bundleOf,
    control: `http://127.0.0.1:${controlPort}`,
    access,
    async stop() {
      await new Promise((r) => control.close(r));
      await access.stop();
      await stack.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The Workers' variables for the tests (integration and browser alike). */
export function testWorkerVars(shared: TestStack, edgeUrl: string) {
  const vars = workerVars(shared.stack, { edgeUrl, testHooks: true, switchMemoryMs: 250 });
  // The console's Access check runs against the local stand-in team (test/setup/access.ts).
  vars.origin.ACCESS_TEAM_DOMAIN = shared.access.teamDomain;
  vars.origin.ACCESS_AUD = shared.access.aud;
  // Deployed Workers report under their version id (CF_VERSION_METADATA); the tests' bundles have none.
  // Grouped errors written every 300 ms instead of 5 s, so the error tests wait little.
  for (const worker of [vars.origin, vars.jobs]) {
    worker.SENTRY_RELEASE = "integration";
    worker.ERROR_FLUSH_MS = "300";
  }
  return vars;
}

/** What the tests learn about the stack (`inject("stack")`). */
export function stackInfo(shared: TestStack) {
  const { stack } = shared;
  return {
    primaryUrl: stack.primaryUrl,
    replicaUrl: stack.replicaUrl,
    neonProxy: stack.neonProxy,
    adminToken: stack.secrets.adminToken,
    control: shared.control,
    fakes: stack.fakes.url,
  };
}

export default async function setup(project: TestProject) {
  const { shared, release } = await acquireTestStack();
  const { access } = shared;
  const vars = testWorkerVars(shared, "http://edgeplate.test");
  project.provide("workerVars", vars);
  project.provide("stack", stackInfo(shared));
  project.provide("access", {
    teamDomain: access.teamDomain,
    aud: access.aud,
    privateJwk: access.privateJwk,
    kid: access.kid,
  });
  project.provide("faults", {
    scale: Math.max(1, Number(process.env.FAULTS_SCALE ?? 1) || 1),
    report: process.env.FAULTS_REPORT === "1",
  });
  project.provide("soak", { rywTrials: Math.max(10, Number(process.env.RYW_TRIALS ?? 100) || 100) });
  project.provide("bundles", { origin: shared.bundleOf("origin").main, jobs: shared.bundleOf("jobs").main });
  return release;
}
