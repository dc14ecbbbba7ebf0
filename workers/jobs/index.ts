// The jobs Worker's entry: the job queue, its dead-letter queue, and scheduled work (Cron Triggers).
import { queue } from "./queue";
import { scheduled } from "./scheduled";

export default { queue, scheduled } satisfies ExportedHandler<JobsEnv>;
