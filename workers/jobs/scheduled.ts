// Scheduled work (Cron Triggers): sweep the job outbox, enqueue the site's periodic jobs, probe replica lag, kick
// the switchboard.

import { neonConfig } from "@neondatabase/serverless";
import { createProbe, replicaName, useLocalNeonProxy } from "../../shared/db/index.ts";
import { jobsConfig } from "../../shared/env/index.ts";
import { enqueueSiteCron } from "../../shared/jobs/examples/index.ts";
import { runScheduledWork } from "../../shared/jobs/index.ts";
import { log } from "../../shared/log/index.ts";
import { kickSwitchboard } from "../../shared/switchboard/index.ts";
import { readOnlyState } from "./queue.ts";
import { jobsDb } from "./services.ts";

export async function scheduled(
  _controller: ScheduledController,
  env: JobsEnv,
  ctx: ExecutionContext,
): Promise<void> {
  const config = jobsConfig(env);
  // The switchboard's watchdog: takes over switch changes KV got while it was unreachable, re-arms its probe.
  ctx.waitUntil(kickSwitchboard(config.bindings.SWITCHBOARD));
  const readOnly = (await readOnlyState(config).get(ctx)).on;
  const report = await runScheduledWork({
    db: jobsDb(config),
    queue: config.bindings.JOBS,
    readOnly,
    site: enqueueSiteCron,
  });
  log.info("scheduled", report);
  if (config.NEON_LOCAL_PROXY) useLocalNeonProxy(neonConfig, config.NEON_LOCAL_PROXY);
  const probe = createProbe({
    primaryUrl: config.DATABASE_URL,
    replicas: config.REPLICA_URLS.map((url, i) => ({ name: replicaName("", i), url })),
  });
  ctx.waitUntil(
    probe
      .measure()
      .then((s) => log.info("replica probe", { primary: s.primary, replicas: s.replicas }))
      .catch((error: unknown) => log.warn("replica probe failed", { error })),
  );
}
