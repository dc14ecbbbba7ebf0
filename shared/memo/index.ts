// Isolate-memory values refreshed in waitUntil, so no request awaits another's I/O.
export { createRefreshing, type Refreshing, type WaitUntil } from "./refreshing.ts";
