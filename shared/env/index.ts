// Typed, validated configuration for each Worker.
export { type EdgeConfig, edgeConfig } from "./edge.ts";
export { type JobsConfig, jobsConfig } from "./jobs.ts";
export { type OriginConfig, originConfig } from "./origin.ts";
export { ConfigError, isPostgresUrl } from "./parse.ts";
