// The jobs Worker's entry: the job queue, its dead-letter queue, and scheduled work (Cron Triggers).
import { queue } from "./queue.ts";
import { scheduled } from "./scheduled.ts";

export default { queue, scheduled } satisfies ExportedHandler<JobsEnv>;
