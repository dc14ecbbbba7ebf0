// The typed per-request variables every origin handler can read.
import type { RedisLog } from "../../shared/datacache/index.ts";
import type { Db, QueryLog } from "../../shared/db/index.ts";
import type { OriginConfig } from "../../shared/env/index.ts";
import type { Exposure, Flags } from "../../shared/flags/index.ts";
import type { EdgeContext } from "../../shared/trust/index.ts";

export type OriginVars = {
  requestId: string;
  config: OriginConfig;
  /** What the edge said about this request; anonymous defaults when it was not signed by the edge. */
  edge: EdgeContext;
  edgeSigned: boolean;
  flags: Flags;
  /** Experiment exposures seen while rendering, written in the background after the response. */
  exposures: Exposure[];
  db: Db;
  queryLog: QueryLog;
  /** Redis round trips of this request (budgets, like the query log). */
  redisLog: RedisLog;
  /** This request ran its transactions READ ONLY on purpose (the switch was on): a refusal is not a failure. */
  readOnlyAsked: boolean;
  /** This request committed a write on the primary. */
  wrote: boolean;
  /** Its outcome was counted towards automatic read-only (once per request). */
  writeRecorded: boolean;
};

export type OriginApp = { Bindings: OriginEnv; Variables: OriginVars };
