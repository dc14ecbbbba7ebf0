// Checks before anything is deployed: types, migration safety, bundle sizes; and the migrations themselves.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { buildAssets } from "../build-assets.ts";
import { checkMigrationsFolder } from "../db/check-migrations.ts";
import { redactUrl } from "../db/database-url.ts";
import { migrate } from "../db/migrate.ts";
import { formatFinding } from "../db/migration-rules.ts";
import { ENFORCE_BUDGETS } from "./budgets.ts";
import { type Bundle, bundleWorkers, sizeReport } from "./bundle.ts";
import { type Context, step, UserError } from "./context.ts";

export interface Checks {
  typecheck(ctx: Context): Promise<void>;
  migrationSafety(ctx: Context): Promise<void>;
  /** Applies pending migrations with the lock_timeout runner (scripts/db/migrate.ts). */
  migrate(ctx: Context, url: string): Promise<void>;
}

export const realChecks: Checks = {
  typecheck: (ctx) =>
    new Promise((resolve, reject) => {
      const child = spawn("npx", ["tsc", "-p", "."], {
        cwd: ctx.root,
        env: ctx.env,
        shell: process.platform === "win32",
      });
      let out = "";
      child.stdout.on("data", (b: Buffer) => {
        out += b.toString();
      });
      child.on("error", reject);
      child.on("close", (code) =>
        code === 0 ? resolve() : reject(new UserError(`typecheck failed:\n${out.trim()}`)),
      );
    }),
  async migrationSafety(ctx) {
    const findings = await checkMigrationsFolder(
      join(ctx.root, "migrations"),
      join(ctx.root, "shared/db/schema.ts"),
    );
    const errors = findings.filter((f) => f.severity === "error");
    if (errors.length > 0) {
      throw new UserError(`unsafe migrations (docs/migrations.md):\n${errors.map(formatFinding).join("\n")}`);
    }
  },
  async migrate(ctx, url) {
    await migrate(url, {
      log: (line) => ctx.log(`    ${line}`),
      migrationsFolder: join(ctx.root, "migrations"),
    });
  },
};

/** Runs the checks and bundles the Workers for `env`; refuses on failure (and on budgets, once enforced). */
export async function preflight(ctx: Context, env: string, checks: Checks): Promise<Bundle[]> {
  // The hashed static files and their manifest come first: the edge's types import the manifest.
  const assets = await buildAssets({
    source: join(ctx.root, "workers/edge/static"),
    out: join(ctx.root, ".build/assets"),
    manifest: join(ctx.root, ".build/manifest.json"),
  });
  step(ctx, "assets", `${assets.assets} static files hashed`);
  step(ctx, "check", "types");
  await checks.typecheck(ctx);
  step(ctx, "check", "migration safety");
  await checks.migrationSafety(ctx);
  step(ctx, "bundle", `wrangler deploy --dry-run --outdir .build/bundles/${env} (all three)`);
  const bundles = await bundleWorkers(
    ctx.exec
      ? { root: ctx.root, env, processEnv: ctx.env, exec: ctx.exec }
      : { root: ctx.root, env, processEnv: ctx.env },
  );
  for (const b of bundles) if (b.warnings) for (const line of b.warnings.split("\n")) ctx.log(`    ${line}`);
  const report = sizeReport(bundles);
  for (const line of [...report.lines, ...report.over]) ctx.log(`    ${line}`);
  if (ENFORCE_BUDGETS && report.over.length > 0)
    throw new UserError(`over budget:\n${report.over.join("\n")}`);
  return bundles;
}

/** The direct (unpooled) URL migrations need: session settings and advisory locks do not survive a pooler. */
export function directUrl(ctx: Context): string {
  const url = ctx.env.DIRECT_DATABASE_URL;
  if (!url) {
    throw new UserError(
      "DIRECT_DATABASE_URL is not set: migrations run first, against Neon's direct (unpooled) connection " +
        "string (Neon console → Connection details, pooling off). Pass --skip-migrations only if none are pending.",
    );
  }
  if (/-pooler\./.test(url)) {
    throw new UserError(
      `DIRECT_DATABASE_URL points at Neon's pooler (${redactUrl(url)}): use the direct host (without -pooler)`,
    );
  }
  return url;
}
