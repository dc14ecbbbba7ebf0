// The jobs Worker's entry: the job queue, its dead-letter queue, and scheduled work (Cron Triggers).
import "../../shared/http/z.ts";
import { withSentry } from "@sentry/cloudflare";
import { jobsConfig } from "../../shared/env/index.ts";
import { sentryOptions } from "../../shared/error-tracking/index.ts";
import { setLogContext } from "../../shared/log/index.ts";
import { queue } from "./queue.ts";
import { scheduled } from "./scheduled.ts";

setLogContext({ worker: "jobs" });

/** Sentry's options from the validated config; a Worker with a bad config reports nothing. */
function sentryFor(env: JobsEnv) {
  try {
    return sentryOptions(jobsConfig(env));
  } catch {
    return undefined;
  }
}

export default withSentry(sentryFor, { queue, scheduled } satisfies ExportedHandler<JobsEnv>);
