// Canary deploys: upload new versions of every Worker, send N % of traffic to them, then promote or abort.
import type { WorkerConfig } from "./configs.ts";
import { type Context, step, UserError } from "./context.ts";
import { currentDeployment, isSplit, versionOrder } from "./remote.ts";
import { must, WranglerFailed } from "./wrangler.ts";
import { type Deployment, isPendingMigration, uploadedVersionId } from "./wrangler-output.ts";

const target = (w: WorkerConfig) => ["-c", w.config, "--env", w.env];

async function split(ctx: Context, w: WorkerConfig, canary: string, stable: string, percent: number) {
  const specs =
    percent === 100 ? [`${canary}@100%`] : [`${canary}@${percent}%`, `${stable}@${100 - percent}%`];
  const message = percent === 100 ? "promote canary" : `canary ${percent}%`;
  await must(
    ctx.wrangler,
    `splitting traffic on ${w.name}`,
    ["versions", "deploy", ...specs, "-y", "--message", message, ...target(w)],
    {
      quiet: true,
    },
  );
}

/** The canary (newest) and the stable (older) version of a split deployment. */
async function sides(
  ctx: Context,
  w: WorkerConfig,
  d: Deployment,
): Promise<{ canary: string; stable: string }> {
  const numbers = await versionOrder(ctx, w);
  const ids = d.versions
    .map((v) => v.version_id)
    .sort((a, b) => (numbers.get(b) ?? 0) - (numbers.get(a) ?? 0));
  return { canary: ids[0] ?? "", stable: ids[ids.length - 1] ?? "" };
}

/**
 * Uploads every Worker (binding order) before shifting any traffic, so a refused upload (a Durable Object
 * migration) leaves every Worker as it was; then splits each. With a canary already running, moves it to N %.
 */
export async function gradual(
  ctx: Context,
  order: WorkerConfig[],
  percent: number,
  message: string,
): Promise<void> {
  const now = new Map<WorkerConfig, Deployment>();
  const current = await Promise.all(order.map((w) => currentDeployment(ctx, w)));
  for (const [i, w] of order.entries()) {
    const d = current[i];
    if (!d)
      throw new UserError(
        `${w.name} has never been deployed: the first deploy is a full one (npm run deploy -- --env ${w.env})`,
      );
    now.set(w, d);
  }
  const running = order.filter((w) => isSplit(now.get(w) ?? null));
  if (running.length === order.length) {
    for (const w of order) {
      const { canary, stable } = await sides(ctx, w, now.get(w) as Deployment);
      step(ctx, "canary", `${w.name}: moving the running canary to ${percent}%`);
      await split(ctx, w, canary, stable, percent);
    }
    return;
  }
  if (running.length > 0) {
    throw new UserError(
      `${running.map((w) => w.name).join(", ")} already run a canary and the others do not: --promote or --abort first`,
    );
  }
  const uploaded = new Map<WorkerConfig, string>();
  for (const w of order) {
    step(ctx, "upload", w.name);
    const r = await ctx.wrangler.run(["versions", "upload", ...target(w), "--message", message], {
      quiet: true,
    });
    if (r.code !== 0 && isPendingMigration(r.stderr)) {
      throw new UserError(
        `${w.name} carries a Durable Object migration (tag ${w.migrationTags.at(-1) ?? "?"}) that is not deployed yet. ` +
          "`wrangler versions upload` cannot apply migrations, so this version must deploy in full: " +
          `npm run deploy -- --env ${w.env} (without --gradual). No traffic was moved` +
          (uploaded.size > 0
            ? `; the versions uploaded for ${[...uploaded.keys()].map((x) => x.name).join(", ")} stay unused.`
            : "."),
      );
    }
    if (r.code !== 0) throw new WranglerFailed(`uploading ${w.name}`, r);
    const id = uploadedVersionId(r.stdout);
    if (!id) throw new UserError(`wrangler uploaded ${w.name} but printed no version id`);
    uploaded.set(w, id);
  }
  for (const w of order) {
    const stable = now.get(w)?.versions[0]?.version_id ?? "";
    step(ctx, "canary", `${w.name}: ${uploaded.get(w)} at ${percent}%, ${stable} at ${100 - percent}%`);
    await split(ctx, w, uploaded.get(w) ?? "", stable, percent);
  }
}

/** Promote (canary to 100 %, binding order) or abort (stable to 100 %, reverse order: callers first). */
export async function finish(ctx: Context, order: WorkerConfig[], how: "promote" | "abort"): Promise<void> {
  const workers = how === "promote" ? order : [...order].reverse();
  let moved = 0;
  for (const w of workers) {
    const d = await currentDeployment(ctx, w);
    if (!d || !isSplit(d)) {
      step(ctx, how, `${w.name}: no canary running`);
      continue;
    }
    const { canary, stable } = await sides(ctx, w, d);
    const keep = how === "promote" ? canary : stable;
    step(ctx, how, `${w.name}: ${keep} to 100%`);
    const message = how === "promote" ? "promote canary" : "abort canary";
    await must(
      ctx.wrangler,
      `${how} on ${w.name}`,
      ["versions", "deploy", `${keep}@100%`, "-y", "--message", message, ...target(w)],
      {
        quiet: true,
      },
    );
    moved++;
  }
  if (moved === 0) throw new UserError("no canary is running: nothing to promote or abort");
}
