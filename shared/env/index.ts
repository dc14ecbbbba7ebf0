// Typed, validated configuration for each Worker.
export { type EdgeConfig, edgeConfig } from "./edge";
export { type JobsConfig, jobsConfig } from "./jobs";
export { type OriginConfig, originConfig } from "./origin";
