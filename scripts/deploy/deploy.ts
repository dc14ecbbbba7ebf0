// `npm run deploy -- [--env staging|production] [--dry-run] [--gradual N | --promote | --abort]`: preflight,
// migrations against the direct URL, then the Workers in the order their service bindings need.
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { redactUrl } from "../db/database-url.ts";
import { finish, gradual } from "./canary.ts";
import { readWorkers, type WorkerConfig } from "./configs.ts";
import { type Context, chooseEnv, runWhenMain, step, table, UserError } from "./context.ts";
import { deployOrder } from "./graph.ts";
import { requireLogin } from "./login.ts";
import { planLines, refusals, warnings } from "./plan.ts";
import { type Checks, directUrl, preflight, realChecks } from "./preflight.ts";
import { currentDeployment, isSplit, secretsOf } from "./remote.ts";
import { errorTitle } from "./wrangler-output.ts";

/** `<short sha> <subject>` of HEAD for the deployment message; the command line when there is no git. */
function describeHead(root: string): string {
  const r = spawnSync("git", ["log", "-1", "--format=%h %s"], { cwd: root, encoding: "utf8" });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim().slice(0, 100) : "npm run deploy";
}

/** Secrets each Worker requires that Cloudflare does not hold; refuses with the command that sets them. */
async function requireSecrets(ctx: Context, env: string, workers: WorkerConfig[]): Promise<Set<string>> {
  const existing = new Set<string>();
  const problems: string[] = [];
  // Read-only questions to Cloudflare go out together: each wrangler call is a round trip or two.
  const all = await Promise.all(workers.map((w) => secretsOf(ctx, w)));
  for (const [i, w] of workers.entries()) {
    const names = all[i];
    if (names) existing.add(w.name);
    const missing = w.secrets.filter((s) => !names?.has(s));
    if (missing.length > 0) problems.push(`${w.name}: ${missing.join(", ")}`);
  }
  if (problems.length > 0) {
    throw new UserError(
      `secrets not set:\n  ${problems.join("\n  ")}\nset them with: npm run secrets -- --env ${env}`,
    );
  }
  return existing;
}

async function deployAll(ctx: Context, env: string, order: WorkerConfig[], message: string): Promise<void> {
  const done: string[][] = [];
  for (const [i, w] of order.entries()) {
    step(ctx, "deploy", `${w.name} (${w.config})`);
    const r = await ctx.wrangler.run(["deploy", "-c", w.config, "--env", env, "--message", message]);
    if (r.code !== 0) {
      const left = order.slice(i + 1).map((x) => x.name);
      throw new UserError(
        `${w.name} did not deploy: ${errorTitle(r.stderr)}\n` +
          `deployed before it: ${done.map((d) => d[0]).join(", ") || "none"}; not deployed: ${[w.name, ...left].join(", ")}.\n` +
          `fix it and run the deploy again, or go back: npm run rollback -- --env ${env}`,
      );
    }
    const record = r.records.find((x) => x.type === "deploy");
    const targets = Array.isArray(record?.targets) ? (record.targets as string[]) : [];
    done.push([w.name, String(record?.version_id ?? "?"), targets.join(" ") || "(service binding only)"]);
  }
  ctx.log("");
  for (const line of table([["worker", "version", "answers on"], ...done])) ctx.log(`  ${line}`);
  ctx.log("");
}

/** Binding order; a cycle is deployable only when every Worker in it exists already (asked for only then). */
async function orderFor(ctx: Context, workers: WorkerConfig[], dryRun: boolean) {
  let order = deployOrder(workers);
  if (!order.ok && !dryRun) {
    await requireLogin(ctx);
    const existing = new Set<string>();
    const deployed = await Promise.all(workers.map((w) => currentDeployment(ctx, w)));
    for (const [i, w] of workers.entries()) if (deployed[i]) existing.add(w.name);
    order = deployOrder(workers, existing);
  }
  if (!order.ok) throw new UserError(order.message);
  return order;
}

export async function deploy(argv: string[], ctx: Context, checks: Checks = realChecks): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      env: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      gradual: { type: "string" },
      promote: { type: "boolean", default: false },
      abort: { type: "boolean", default: false },
      message: { type: "string" },
      "skip-migrations": { type: "boolean", default: false },
    },
  });
  const env = chooseEnv(ctx, values.env);
  const percent = values.gradual === undefined ? null : Number(values.gradual);
  if (percent !== null && !(Number.isInteger(percent) && percent >= 1 && percent <= 99)) {
    throw new UserError(
      "--gradual takes a whole percentage from 1 to 99 (of traffic sent to the new versions)",
    );
  }
  if ([percent !== null, values.promote, values.abort].filter(Boolean).length > 1) {
    throw new UserError("use one of --gradual N, --promote, --abort");
  }
  const workers = readWorkers(ctx.root, env);
  const order = await orderFor(ctx, workers, values["dry-run"]);
  const refused = refusals(workers, env);
  if (refused.length > 0) throw new UserError(`cannot deploy ${env}:\n  ${refused.join("\n  ")}`);
  for (const w of [...order.warnings, ...warnings(workers, env)]) step(ctx, "warning", w);
  step(ctx, "deploy", `${env}: ${order.order.map((w) => w.role).join(" → ")} (callees before callers)`);

  if (values.promote || values.abort) {
    await requireLogin(ctx);
    await finish(ctx, order.order, values.promote ? "promote" : "abort");
    step(
      ctx,
      "done",
      values.promote ? "canary promoted to 100%" : "canary aborted: the previous versions serve 100%",
    );
    return;
  }

  await preflight(ctx, env, checks);
  const url = values["skip-migrations"]
    ? null
    : values["dry-run"] && !ctx.env.DIRECT_DATABASE_URL
      ? ""
      : directUrl(ctx);
  const migrations =
    url === null
      ? "skipped (--skip-migrations)"
      : url
        ? `npm run db:migrate against ${redactUrl(url)}`
        : "DIRECT_DATABASE_URL not set";
  if (values["dry-run"]) {
    for (const line of planLines(order.order, { env, gradual: percent, migrations })) ctx.log(`  ${line}`);
    step(ctx, "done", "dry run: bundled and checked; nothing was deployed");
    return;
  }
  await requireLogin(ctx);
  const existing = await requireSecrets(ctx, env, order.order);
  if (percent === null) {
    const live = order.order.filter((w) => existing.has(w.name));
    const now = await Promise.all(live.map((w) => currentDeployment(ctx, w)));
    const split = live.find((_, i) => isSplit(now[i] ?? null));
    if (split)
      throw new UserError(`${split.name} is running a canary: --promote or --abort it before a full deploy`);
  }

  if (url) {
    step(ctx, "migrate", redactUrl(url));
    await checks.migrate(ctx, url);
  }
  const message = values.message ?? describeHead(ctx.root);
  if (percent !== null) {
    await gradual(ctx, order.order, percent, message);
    step(
      ctx,
      "done",
      `canary at ${percent}%: watch it (docs/canary.md), then npm run deploy -- --env ${env} --promote (or --abort)`,
    );
    return;
  }
  await deployAll(ctx, env, order.order, message);
  step(ctx, "done", `${env} deployed`);
}

runWhenMain(import.meta.url, (argv, ctx) => deploy(argv, ctx));
