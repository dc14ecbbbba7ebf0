// What Cloudflare holds for a Worker, asked through wrangler: its secrets' names, its current deployment.
import type { WorkerConfig } from "./configs.ts";
import type { Context } from "./context.ts";
import { WranglerFailed } from "./wrangler.ts";
import {
  type Deployment,
  deployment,
  deploymentList,
  isWorkerNotFound,
  plain,
  secretNames,
  versionNumbers,
} from "./wrangler-output.ts";

const target = (w: WorkerConfig) => ["-c", w.config, "--env", w.env];

/** The names of the Worker's secrets; null when the Worker does not exist yet. */
export async function secretsOf(ctx: Context, w: WorkerConfig): Promise<Set<string> | null> {
  const r = await ctx.wrangler.run(["secret", "list", ...target(w)], { quiet: true });
  if (r.code === 0) return new Set(secretNames(r.stdout));
  if (isWorkerNotFound(r.stderr)) return null;
  throw new WranglerFailed(`listing the secrets of ${w.name}`, r);
}

/** The Worker's latest deployment; null when the Worker does not exist (or never deployed). */
export async function currentDeployment(ctx: Context, w: WorkerConfig): Promise<Deployment | null> {
  const r = await ctx.wrangler.run(["deployments", "status", "--json", ...target(w)], { quiet: true });
  if (r.code === 0) return deployment(r.stdout);
  if (/does not exist|has no deployments|not found/.test(plain(r.stderr))) return null;
  throw new WranglerFailed(`reading the deployment of ${w.name}`, r);
}

/** The Worker's latest deployments, oldest first. */
export async function deploymentHistory(ctx: Context, w: WorkerConfig): Promise<Deployment[]> {
  const r = await ctx.wrangler.run(["deployments", "list", "--json", ...target(w)], { quiet: true });
  if (r.code !== 0) throw new WranglerFailed(`listing the deployments of ${w.name}`, r);
  return deploymentList(r.stdout);
}

/** Version id → number (newer is higher), for telling a canary from the version it runs beside. */
export async function versionOrder(ctx: Context, w: WorkerConfig): Promise<Map<string, number>> {
  const r = await ctx.wrangler.run(["versions", "list", "--json", ...target(w)], { quiet: true });
  if (r.code !== 0) throw new WranglerFailed(`listing the versions of ${w.name}`, r);
  return versionNumbers(r.stdout);
}

export const isSplit = (d: Deployment | null): boolean => (d?.versions.length ?? 0) > 1;
