// `npm run provision -- [--env staging|production]`: creates what the configs bind (KV, queues, R2 + CORS),
// listing before creating, and writes the ids into the wrangler configs.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { PLACEHOLDER_KV_ID, readWorkers, type WorkerConfig } from "./configs.ts";
import { type Context, chooseEnv, runWhenMain, step, table, UserError } from "./context.ts";
import { requireLogin } from "./login.ts";
import { kvTitle, needs, routeHosts, siteName } from "./resources.ts";
import { setTomlValue } from "./toml-edit.ts";
import { must, WranglerFailed } from "./wrangler.ts";
import { bucketNames, kvNamespaces, queueNames } from "./wrangler-output.ts";

type Row = [kind: string, name: string, status: string, detail: string];

/** The committed CORS rule for a bucket: r2-cors.<env>.json beside the config of a Worker that binds it. */
export function corsFile(root: string, workers: WorkerConfig[], roles: string[], env: string): string | null {
  for (const w of workers.filter((x) => roles.includes(x.role))) {
    const file = join(root, dirname(w.config), `r2-cors.${env}.json`);
    if (existsSync(file)) return file;
  }
  return null;
}

function writeValue(ctx: Context, config: string, target: Parameters<typeof setTomlValue>[1]): boolean {
  const path = join(ctx.root, config);
  const before = readFileSync(path, "utf8");
  const after = setTomlValue(before, target);
  if (after === before) return false;
  writeFileSync(path, after);
  return true;
}

async function provisionKv(ctx: Context, env: string, workers: WorkerConfig[], rows: Row[]) {
  const site = siteName(workers.map((w) => w.name));
  const listed = kvNamespaces(
    (await must(ctx.wrangler, "listing KV namespaces", ["kv", "namespace", "list"], { quiet: true })).stdout,
  );
  for (const need of needs(workers).kv) {
    const title = kvTitle(site, need.binding, env);
    // An id already in the configs that exists on the account wins; else the namespace named for this site.
    let id =
      need.ids.find((i) => listed.some((n) => n.id === i)) ?? listed.find((n) => n.title === title)?.id;
    let status = "exists";
    if (!id) {
      step(ctx, "kv", `creating ${title}`);
      const first = workers.find((w) => need.roles.includes(w.role));
      const args = [
        "kv",
        "namespace",
        "create",
        `${site}-${need.binding}`,
        "-c",
        first?.config ?? "",
        "--env",
        env,
      ];
      const created = await must(ctx.wrangler, `creating KV namespace ${title}`, args, { quiet: true });
      id = /^id = "([0-9a-f]{32})"/m.exec(created.stdout)?.[1];
      if (!id)
        throw new UserError(
          `wrangler created ${title} but printed no id; run \`wrangler kv namespace list\``,
        );
      status = "created";
    }
    for (const w of workers.filter((x) => need.roles.includes(x.role))) {
      const tableName = `env.${env}.kv_namespaces`;
      if (
        writeValue(ctx, w.config, {
          table: tableName,
          match: { binding: need.binding },
          key: "id",
          value: id,
        })
      ) {
        step(ctx, "config", `${w.config}: ${need.binding} id = ${id}`);
      }
    }
    rows.push(["KV namespace", `${title} (${need.binding})`, status, id]);
  }
}

async function provisionQueues(ctx: Context, workers: WorkerConfig[], rows: Row[]) {
  // `queues list` shows one page of the API's list: read pages until one adds nothing.
  const existing = new Set<string>();
  for (let page = 1; page <= 50; page++) {
    const args = ["queues", "list", "--page", String(page)];
    const names = queueNames((await must(ctx.wrangler, "listing queues", args, { quiet: true })).stdout);
    if (names.every((n) => existing.has(n))) break;
    for (const n of names) existing.add(n);
  }
  for (const name of needs(workers).queues) {
    if (existing.has(name)) {
      rows.push(["queue", name, "exists", ""]);
      continue;
    }
    step(ctx, "queue", `creating ${name}`);
    const user = workers.find((w) => w.producers.some((p) => p.queue === name)) ?? workers[0];
    const r = await ctx.wrangler.run(["queues", "create", name, "-c", user?.config ?? ""], { quiet: true });
    // Created by someone else since the list: as good as existing.
    if (r.code !== 0 && !/\[code: 11009\]/.test(r.stderr))
      throw new WranglerFailed(`creating queue ${name}`, r);
    rows.push(["queue", name, r.code === 0 ? "created" : "exists", ""]);
  }
}

async function provisionBuckets(ctx: Context, env: string, workers: WorkerConfig[], rows: Row[]) {
  const existing = bucketNames(
    (await must(ctx.wrangler, "listing R2 buckets", ["r2", "bucket", "list"], { quiet: true })).stdout,
  );
  const hosts = workers.flatMap(routeHosts).map((h) => `https://${h}`);
  for (const { name, roles } of needs(workers).buckets) {
    let status = "exists";
    if (!existing.includes(name)) {
      step(ctx, "r2", `creating ${name}`);
      const user = workers.find((w) => roles.includes(w.role));
      const args = ["r2", "bucket", "create", name, "-c", user?.config ?? "", "--env", env];
      const r = await ctx.wrangler.run(args, { quiet: true });
      if (r.code !== 0 && !/\[code: 10004\]/.test(r.stderr))
        throw new WranglerFailed(`creating R2 bucket ${name}`, r);
      status = r.code === 0 ? "created" : "exists";
    }
    const cors = corsFile(ctx.root, workers, roles, env);
    if (!cors) {
      rows.push(["R2 bucket", name, status, "no CORS file: browsers cannot upload directly"]);
      continue;
    }
    const relative = cors.slice(ctx.root.length + 1);
    const corsArgs = ["r2", "bucket", "cors", "set", name, "--file", relative, "--force"];
    await must(ctx.wrangler, `setting the CORS rule of ${name}`, corsArgs, { quiet: true });
    const origins = (
      JSON.parse(readFileSync(cors, "utf8")) as { rules: { allowed?: { origins?: string[] } }[] }
    ).rules.flatMap((r) => r.allowed?.origins ?? []);
    const missing = hosts.filter((h) => !origins.includes(h));
    if (missing.length > 0)
      step(ctx, "warning", `${relative} does not allow ${missing.join(", ")}: uploads from there fail`);
    if (origins.some((o) => /^https:\/\/(www\.example\.com|[^/]+\.example\.workers\.dev)$/.test(o)))
      step(
        ctx,
        "warning",
        `${relative} still allows the template's example origins: put your site's origin there`,
      );
    rows.push(["R2 bucket", name, status, `CORS from ${relative}`]);
  }
}

/** The S3 endpoint browsers upload to is the account's: fill it in where a config leaves it empty. */
function fillR2Endpoint(ctx: Context, env: string, workers: WorkerConfig[], account: string, rows: Row[]) {
  const endpoint = `https://${account}.r2.cloudflarestorage.com`;
  for (const w of workers.filter((x) => "R2_S3_ENDPOINT" in x.vars)) {
    if (w.vars.R2_S3_ENDPOINT && w.vars.R2_S3_ENDPOINT !== endpoint) {
      rows.push(["var", `${w.role} R2_S3_ENDPOINT`, "kept", w.vars.R2_S3_ENDPOINT]);
      continue;
    }
    const changed = writeValue(ctx, w.config, {
      table: `env.${env}.vars`,
      key: "R2_S3_ENDPOINT",
      value: endpoint,
    });
    rows.push(["var", `${w.role} R2_S3_ENDPOINT`, changed ? "written" : "exists", endpoint]);
  }
}

export async function provision(argv: string[], ctx: Context): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { env: { type: "string" } } });
  const env = chooseEnv(ctx, values.env);
  step(ctx, "provision", `environment ${env}`);
  const account = await requireLogin(ctx);
  const rows: Row[] = [];
  const workers = readWorkers(ctx.root, env);
  await provisionKv(ctx, env, workers, rows);
  await provisionQueues(ctx, workers, rows);
  await provisionBuckets(ctx, env, workers, rows);
  fillR2Endpoint(ctx, env, workers, account, rows);
  // Read back through wrangler: the configs now name real resources.
  const unset = readWorkers(ctx.root, env).flatMap((w) =>
    w.kv.filter((k) => !k.id || k.id === PLACEHOLDER_KV_ID).map((k) => `${w.config} ${k.binding}`),
  );
  if (unset.length > 0) throw new UserError(`KV ids still unset after provisioning: ${unset.join(", ")}`);
  ctx.log("");
  for (const line of table([["resource", "name", "status", "id / detail"], ...rows])) ctx.log(`  ${line}`);
  ctx.log("");
  step(ctx, "done", `${env} provisioned; next: npm run secrets -- --env ${env}`);
}

runWhenMain(import.meta.url, provision);
