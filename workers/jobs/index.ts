// The jobs Worker's entry: the job queue, its dead-letter queue, and scheduled work (Cron Triggers).
import "../../shared/http/z.ts";
import { setLogContext } from "../../shared/log/index.ts";
import { queue } from "./queue.ts";
import { scheduled } from "./scheduled.ts";

setLogContext({ worker: "jobs" });

export default { queue, scheduled } satisfies ExportedHandler<JobsEnv>;
