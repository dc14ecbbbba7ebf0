// Write-behind counters: increments in Redis, drained into Postgres in one statement per flush.
export {
  type ApplyCounts,
  type Counters,
  type CountersOptions,
  type CountersRedis,
  createCounters,
  type DrainResult,
} from "./counters.ts";
export { addCountsSql, type IdType } from "./sql.ts";
