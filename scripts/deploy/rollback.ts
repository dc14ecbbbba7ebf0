// `npm run rollback -- [--env <env>] [--message "why"]`: every Worker back to the version it ran before the one
// serving now, callers first (reverse binding order), so nothing new calls into something old for longer than
// it must.
import { parseArgs } from "node:util";
import { readWorkers } from "./configs.ts";
import { type Context, chooseEnv, runWhenMain, step, table, UserError } from "./context.ts";
import { requireLogin } from "./login.ts";
import { deploymentHistory } from "./remote.ts";
import { inOrder } from "./secret-send.ts";
import { currentVersionId, errorTitle, rollbackTarget } from "./wrangler-output.ts";

export async function rollback(argv: string[], ctx: Context): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { env: { type: "string" }, message: { type: "string" } },
  });
  const env = chooseEnv(ctx, values.env);
  const workers = [...inOrder(readWorkers(ctx.root, env))].reverse();
  await requireLogin(ctx);
  const rows: string[][] = [];
  const failed: string[] = [];
  for (const w of workers) {
    // Keep going on failure: in an emergency every Worker that can go back should.
    try {
      // An explicit version: wrangler's default can pick the one already serving (right after an abort).
      const version = rollbackTarget(await deploymentHistory(ctx, w));
      if (!version) throw new Error("no earlier version to go back to");
      step(ctx, "rollback", `${w.name} → ${version}`);
      const message = values.message ?? "npm run rollback";
      const args = ["rollback", version, "-y", "--message", message, "-c", w.config, "--env", env];
      const r = await ctx.wrangler.run(args, { quiet: true });
      if (r.code !== 0) throw new Error(errorTitle(r.stderr));
      rows.push([w.name, `now ${currentVersionId(r.stdout) ?? version}`]);
    } catch (e) {
      failed.push(`${w.name}: ${e instanceof Error ? e.message : String(e)}`);
      rows.push([w.name, "not rolled back"]);
    }
  }
  ctx.log("");
  for (const line of table([["worker", "result"], ...rows])) ctx.log(`  ${line}`);
  ctx.log("");
  ctx.log(
    "  The database is not rolled back: migrations are expand-only (docs/migrations.md), so the previous",
  );
  ctx.log("  code runs on the current schema.");
  if (failed.length > 0) throw new UserError(`rollback incomplete:\n  ${failed.join("\n  ")}`);
  step(ctx, "done", `${env} rolled back`);
}

runWhenMain(import.meta.url, rollback);
