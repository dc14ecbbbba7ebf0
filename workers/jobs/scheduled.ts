// Scheduled work (Cron Triggers): flush counters, probe replica lag, clean up. Locally `npm run dev` ticks it.
import { neonConfig } from "@neondatabase/serverless";
import { createProbe, replicaName } from "../../shared/db/index.ts";
import { useLocalNeonProxy } from "../../shared/db/neon-local.ts";
import { jobsConfig } from "../../shared/env/index.ts";
import { createJobsRegistry } from "../../shared/jobs/examples/index.ts";
import { createEnqueue } from "../../shared/jobs/index.ts";

const enqueue = createEnqueue(createJobsRegistry(async () => {}));

export async function scheduled(
  _controller: ScheduledController,
  env: JobsEnv,
  ctx: ExecutionContext,
): Promise<void> {
  const config = jobsConfig(env);
  // The flush runs as a job, so it gets retries, holds in read-only mode and the idempotency ledger.
  await enqueue(config.bindings.JOBS, "flush-counters", {});
  if (config.NEON_LOCAL_PROXY) useLocalNeonProxy(neonConfig, config.NEON_LOCAL_PROXY);
  const probe = createProbe({
    primaryUrl: config.DATABASE_URL,
    replicas: config.REPLICA_URLS.map((url, i) => ({ name: replicaName("", i), url })),
  });
  ctx.waitUntil(
    probe
      .measure()
      .then((s) =>
        console.log(JSON.stringify({ msg: "replica-probe", primary: s.primary, replicas: s.replicas })),
      )
      .catch((e: unknown) => console.warn(JSON.stringify({ msg: "replica-probe.failed", error: String(e) }))),
  );
}
