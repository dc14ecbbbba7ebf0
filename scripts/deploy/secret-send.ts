// Sending secrets to Workers, in binding order, and refusing while a canary splits traffic.
import type { WorkerConfig } from "./configs.ts";
import { type Context, UserError } from "./context.ts";
import { deployOrder } from "./graph.ts";
import { currentDeployment, isSplit } from "./remote.ts";
import { WranglerFailed } from "./wrangler.ts";
import { isSecretEditDuringSplit } from "./wrangler-output.ts";

/** Workers in binding order (callees first), or config order when the bindings form a cycle. */
export function inOrder(workers: WorkerConfig[]): WorkerConfig[] {
  const o = deployOrder(workers);
  return o.ok ? o.order : workers;
}

/** Sends `values` to the Worker as one `secret bulk` (one new version of it, not one per secret). */
export async function sendSecrets(
  ctx: Context,
  w: WorkerConfig,
  values: Record<string, string | null>,
): Promise<void> {
  const args = ["secret", "bulk", "-c", w.config, "--env", w.env];
  const r = await ctx.wrangler.run(args, { input: JSON.stringify(values), quiet: true });
  if (r.code === 0) return;
  if (isSecretEditDuringSplit(r.stderr)) {
    throw new UserError(
      `${w.name} is running a canary: Cloudflare changes secrets only while one version serves all traffic. ` +
        `Finish it first (npm run deploy -- --env ${w.env} --promote, or --abort).`,
    );
  }
  throw new WranglerFailed(`setting secrets on ${w.name}`, r);
}

/** Refuses while any Worker splits traffic between versions (secret changes would fail half-way). */
export async function refuseDuringCanary(ctx: Context, workers: WorkerConfig[]): Promise<void> {
  for (const w of workers) {
    if (isSplit(await currentDeployment(ctx, w))) {
      throw new UserError(
        `${w.name} is running a canary: finish it first (npm run deploy -- --env ${w.env} --promote, or --abort)`,
      );
    }
  }
}
