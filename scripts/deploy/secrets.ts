// `npm run secrets -- [--env <env>]`: every Worker's required secrets in one go (shared ones generated once and
// given to each Worker); `npm run secrets -- rotate <NAME> [--env <env>]` rotates one without failed requests.
import { parseArgs } from "node:util";
import { TOKEN_ENV } from "../lib/admin-client.ts";
import { readWorkers } from "./configs.ts";
import { type Context, chooseEnv, runWhenMain, step, table, UserError } from "./context.ts";
import { requireLogin } from "./login.ts";
import { secretsOf } from "./remote.ts";
import { ROTATION_GRACE_SECONDS, rotate } from "./rotate.ts";
import { HELP, planSecrets } from "./secret-plan.ts";
import { inOrder, refuseUnlessServingNewest, sendSecrets } from "./secret-send.ts";

async function setAll(ctx: Context, env: string): Promise<void> {
  const workers = inOrder(readWorkers(ctx.root, env));
  await requireLogin(ctx);
  const required = new Map(workers.map((w) => [w.role, w.secrets]));
  const existing = new Map<string, Set<string>>();
  const all = await Promise.all(workers.map((w) => secretsOf(ctx, w)));
  for (const [i, w] of workers.entries()) {
    const names = all[i];
    existing.set(w.role, names ?? new Set());
    step(
      ctx,
      "secrets",
      `${w.name}: ${names ? `${names.size} set` : "not created yet (its secrets create it)"}`,
    );
  }
  const given: Record<string, string | undefined> = {};
  for (const name of new Set(workers.flatMap((w) => w.secrets))) given[name] = ctx.env[name];
  let plan = planSecrets(required, existing, given);
  if (plan.missing.size > 0 && ctx.ask) {
    for (const name of plan.missing.keys())
      given[name] = await ctx.ask(`${name} (${HELP[name] ?? "value"}): `);
    plan = planSecrets(required, existing, given);
  }
  if (plan.problems.length > 0) throw new UserError(plan.problems.join("; "));
  if (plan.missing.size > 0) {
    const lines = [...plan.missing].map(([n, roles]) => `  ${n} (${roles.join(", ")}): ${HELP[n] ?? ""}`);
    throw new UserError(
      `no value for:\n${lines.join("\n")}\nput them in the environment and run again, e.g. ` +
        `${[...plan.missing.keys()][0]}=… npm run secrets -- --env ${env}`,
    );
  }
  await refuseUnlessServingNewest(
    ctx,
    workers.filter((w) => existing.get(w.role)?.size),
  );
  for (const w of workers) {
    const values = plan.send.get(w.role);
    if (!values) continue;
    step(ctx, "secrets", `${w.name}: ${Object.keys(values).join(", ")}`);
    await sendSecrets(ctx, w, values);
  }
  ctx.log("");
  const rows = plan.rows.map((r) => [
    workers.find((w) => w.role === r.role)?.name ?? r.role,
    r.name,
    r.status,
  ]);
  for (const line of table([["worker", "secret", "status"], ...rows])) ctx.log(`  ${line}`);
  ctx.log("");
  for (const [name, value] of Object.entries(plan.show)) {
    ctx.log(`  ${name} = ${value}`);
    ctx.log(`  (shown once: keep it in your password manager; the CLIs take it as --token or ${TOKEN_ENV})`);
  }
  step(ctx, "done", `secrets set for ${env}; next: npm run deploy -- --env ${env}`);
}

export async function secrets(argv: string[], ctx: Context): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { env: { type: "string" }, grace: { type: "string" } },
  });
  const env = chooseEnv(ctx, values.env);
  const [command, name] = positionals;
  if (command === undefined) return setAll(ctx, env);
  if (command === "rotate" && name)
    return rotate(ctx, env, name, Number(values.grace ?? ROTATION_GRACE_SECONDS));
  throw new UserError(
    "usage: npm run secrets -- [--env <env>]  |  npm run secrets -- rotate <NAME> [--env <env>]",
  );
}

runWhenMain(import.meta.url, secrets);
