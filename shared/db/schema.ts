// Every table drizzle knows: the platform's and the example site's (docs/decisions/029: where site code goes).
export * from "./schema/examples.ts";
export * from "./schema/platform.ts";
