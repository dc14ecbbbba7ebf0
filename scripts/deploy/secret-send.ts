// Sending secrets to Workers, in binding order, only while each one's newest version serves all its traffic.
import type { WorkerConfig } from "./configs.ts";
import { type Context, UserError } from "./context.ts";
import { deployOrder } from "./graph.ts";
import { currentDeployment, versionOrder } from "./remote.ts";
import { WranglerFailed } from "./wrangler.ts";
import { isSecretEditDuringSplit } from "./wrangler-output.ts";

/** Workers in binding order (callees first), or config order when the bindings form a cycle. */
export function inOrder(workers: WorkerConfig[]): WorkerConfig[] {
  const o = deployOrder(workers);
  return o.ok ? o.order : workers;
}

/** Why Cloudflare would refuse a secret change: it makes a new version from the newest one and deploys it. */
const notServingNewest = (w: WorkerConfig) =>
  `${w.name} does not serve its newest version to all traffic (a canary is running, or it was rolled back), ` +
  "and Cloudflare changes secrets only then. Finish the canary (npm run deploy -- --env ENV --promote, or " +
  "--abort), or after a rollback deploy again (npm run deploy -- --env ENV), then run this again.".replaceAll(
    "ENV",
    w.env,
  );

/** Sends `values` to the Worker as one `secret bulk` (one new version of it, not one per secret). */
export async function sendSecrets(
  ctx: Context,
  w: WorkerConfig,
  values: Record<string, string | null>,
): Promise<void> {
  const args = ["secret", "bulk", "-c", w.config, "--env", w.env];
  const r = await ctx.wrangler.run(args, { input: JSON.stringify(values), quiet: true });
  if (r.code === 0) return;
  if (isSecretEditDuringSplit(r.stderr)) throw new UserError(notServingNewest(w));
  throw new WranglerFailed(`setting secrets on ${w.name}`, r);
}

/** Refuses before changing anything when a secret change would fail on some Worker half-way through. */
export async function refuseUnlessServingNewest(ctx: Context, workers: WorkerConfig[]): Promise<void> {
  const checks = workers.map(async (w) => {
    const d = await currentDeployment(ctx, w);
    if (!d) return null;
    const numbers = await versionOrder(ctx, w);
    const newest = [...numbers].sort(([, a], [, b]) => b - a)[0]?.[0];
    const serving =
      d.versions.length === 1 && d.versions[0]?.percentage === 100 ? d.versions[0].version_id : null;
    return newest !== undefined && serving !== newest ? w : null;
  });
  const stuck = (await Promise.all(checks)).find((w) => w !== null);
  if (stuck) throw new UserError(notServingNewest(stuck));
}
