// `npm run faults`: the fault scenarios on the real local stack with more load, and the full table at the end.
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { fail, step } from "./lib/progress.ts";

const { values } = parseArgs({ options: { scale: { type: "string", default: "5" } } });
const scale = Number(values.scale);
if (!Number.isInteger(scale) || scale < 1 || scale > 50) fail("--scale must be a whole number from 1 to 50");

step(
  "faults",
  `freezing and stopping Postgres, the replica, Redis and the Neon proxy under load (scale ${scale})`,
);
// Then the automatic read-only scenarios: the primary frozen and made read-only, tripped and cleared by the site.
const files = ["test/faults.test.ts", "test/auto-readonly.test.ts"];
const res = spawnSync("npx", ["vitest", "run", "--project", "integration", ...files], {
  stdio: "inherit",
  env: { ...process.env, FAULTS_SCALE: String(scale), FAULTS_REPORT: "1" },
});
if (res.status !== 0) fail("a fault scenario failed its checks (see above)");
step(
  "faults",
  "every scenario answered in time, lost nothing and recovered; the site tripped and cleared itself",
);
