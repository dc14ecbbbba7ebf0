// `npm run dev`: the whole site locally — Postgres primary + replica, Redis, proxies, and all three Workers.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { SITE } from "../shared/site/index.ts";
import { buildAssets } from "./build-assets.ts";
import { startFrontDoor } from "./lib/front-door.ts";
import { fail, step } from "./lib/progress.ts";
import { startWorkers } from "./lib/workers.ts";
import { freePort, portIsFree } from "./stack/free-port.ts";
import { DEV_PORTS, startStack } from "./stack/index.ts";
import { toDevVars, workerVars } from "./stack/worker-vars.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.PORT ?? "8787" },
    "replica-delay": { type: "string", default: process.env.REPLICA_DELAY_MS ?? "0" },
    verbose: { type: "boolean", default: false },
  },
});
const port = Number(values.port);
if (!(await portIsFree(port))) {
  fail(
    `port ${port} (the site) is taken by another process on 127.0.0.1: stop it, or run npm run dev -- --port <n>`,
  );
}
const dataDir = join(process.cwd(), ".data", "dev");
mkdirSync(dataDir, { recursive: true });

const built = await buildAssets({
  source: "workers/edge/static",
  out: ".build/assets",
  manifest: ".build/manifest.json",
});
step("assets", `${built.assets} static files hashed (${built.ms.toFixed(0)} ms)`);

const stack = await startStack({
  dataDir,
  ports: DEV_PORTS,
  fallbackPorts: true,
  applyDelayMs: Number(values["replica-delay"]),
  // Postgres' own log lines are noise at startup; --verbose shows them.
  log: (l) => (values.verbose || !l.startsWith("[pg-")) && step("stack", l),
}).catch((e: unknown) =>
  fail(`the local stack did not start: ${e instanceof Error ? e.message : String(e)}`),
);

const edgeUrl = `http://127.0.0.1:${port}`;
const vars = workerVars(stack, { edgeUrl, testHooks: false });
writeFileSync(".dev.vars", toDevVars(vars.edge));
writeFileSync("workers/origin/.dev.vars", toDevVars(vars.origin));
writeFileSync("workers/jobs/.dev.vars", toDevVars(vars.jobs));
writeFileSync(
  join(dataDir, "stack.json"),
  JSON.stringify(
    {
      edgeUrl,
      adminToken: stack.secrets.adminToken,
      directUrl: stack.primaryUrl,
      replicaUrl: stack.replicaUrl,
      // For `npm run search -- rebuild` against the local Redis.
      upstashUrl: stack.upstashUrl,
      upstashToken: stack.secrets.upstashToken,
    },
    null,
    2,
  ),
);

let shuttingDown = false;
let workers: Awaited<ReturnType<typeof startWorkers>> | null = null;
async function shutdown(code: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  step("stop", "stopping Workers, proxies, Redis and Postgres");
  front?.close();
  await workers?.stop();
  await stack.stop();
  step("stop", "everything stopped");
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

step("workers", "starting edge, origin and jobs in one wrangler dev session");
let front: Awaited<ReturnType<typeof startFrontDoor>> | null = null;
try {
  // wrangler listens on a private port; the site's port belongs to the front door (see scripts/lib/front-door.ts).
  const workersPort = await freePort();
  workers = await startWorkers({
    port: workersPort,
    persistTo: join(dataDir, "wrangler"),
    verbose: values.verbose,
    log: (l) => step("wrangler", l),
  });
  front = await startFrontDoor({ port, upstreamPort: workersPort });
} catch (e) {
  step("workers", e instanceof Error ? e.message : String(e));
  await shutdown(1);
}

// Cron Triggers do not fire under `wrangler dev`; tick the scheduled work through the admin API instead.
const cron = setInterval(() => {
  fetch(`${edgeUrl}/_admin/cron`, {
    method: "POST",
    headers: { authorization: `Bearer ${stack.secrets.adminToken}` },
  })
    .then((r) => r.body?.cancel())
    .catch(() => {});
}, 60_000);
cron.unref();

console.log(`
  ${SITE.name} is running → ${edgeUrl}
  health:    ${edgeUrl}/healthz
  sign in:   curl -b sid=dev-session-ada ${edgeUrl}/   (ada is staff; bob is beta; cy is plain)
  admin:     npm run readonly -- status   ·   npm run flags -- list
  postgres:  ${stack.primaryUrl} (replica ${stack.replicaUrl})
  redis:     ${stack.redisKind}

  Ctrl-C stops everything.
`);
