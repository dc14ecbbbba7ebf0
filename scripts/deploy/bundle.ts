// Bundles the three Workers once with the real `wrangler deploy --dry-run --outdir` into .build/bundles/<env>/,
// reused while no input changed: the size check and `npm run deploy -- --env production --dry-run` share the
// production bundles, the integration tests the top level's (local).
// `npx tsx scripts/deploy/bundle.ts [--env <env>]` prints the sizes against the budgets.
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { delimiter, dirname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { buildAssets } from "../build-assets.ts";
import { WORKER_CONFIGS } from "../lib/workers.ts";
import { BUDGETS_KIB, checkBudgets, contributors, describeContributors } from "./budgets.ts";
import { readWorker } from "./configs.ts";
import { type Exec, wrangler } from "./wrangler.ts";
import { errorTitle, plain, totalUpload } from "./wrangler-output.ts";

export interface Bundle {
  role: string;
  config: string;
  dir: string;
  /** The bundled entry module (`index.js`). */
  main: string;
  raw: number;
  gzip: number;
  /** esbuild's metafile, for the biggest contributors. */
  metafile: string;
  /** Reused from an earlier run: no input changed. */
  reused: boolean;
  /** wrangler's warnings about the config (e.g. a binding an environment lacks), when it just bundled. */
  warnings: string;
}

const NOT_MODULES = new Set(["README.md", "bundle-meta.json", "inputs.json"]);

/** The `wrangler` a spawn would run (first on PATH), so a bundle made by another one is never reused. */
function whichWrangler(env: NodeJS.ProcessEnv): string {
  const names = process.platform === "win32" ? ["wrangler.cmd", "wrangler"] : ["wrangler"];
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    for (const name of names) if (dir && existsSync(join(dir, name))) return realpathSync(join(dir, name));
  }
  return "wrangler";
}

/** Hash of the config, which wrangler bundled it, and every file the last bundle was made of (null: cannot tell). */
function fingerprint(
  root: string,
  config: string,
  env: string,
  metafile: string,
  bundler: string,
): string | null {
  if (!existsSync(metafile)) return null;
  // esbuild names inputs relative to the directory wrangler bundles from: the config's.
  const base = join(root, dirname(config));
  const h = createHash("sha1").update(`${env}\0${bundler}\0${readFileSync(join(root, config))}`);
  const wranglerPackage = join(root, "node_modules/wrangler/package.json");
  if (existsSync(wranglerPackage)) h.update(readFileSync(wranglerPackage));
  const inputs = Object.keys(
    (JSON.parse(readFileSync(metafile, "utf8")) as { inputs: object }).inputs,
  ).sort();
  for (const input of inputs) {
    const path = resolve(base, input);
    if (!existsSync(path)) return null;
    h.update(`\0${input}\0`).update(readFileSync(path));
  }
  return h.digest("hex");
}

/** What wrangler uploads: every module in the outdir (not source maps), gzip of their concatenation. */
function measure(dir: string): { raw: number; gzip: number } {
  const modules = readdirSync(dir)
    .filter((f) => !f.endsWith(".map") && !NOT_MODULES.has(f))
    .sort()
    .map((f) => readFileSync(join(dir, f)));
  const all = Buffer.concat(modules);
  return { raw: all.length, gzip: gzipSync(all).length };
}

/** A directory lock, so concurrent test runs never read a half-written bundle. */
async function withLock<T>(dir: string, work: () => Promise<T>): Promise<T> {
  mkdirSync(resolve(dir, ".."), { recursive: true });
  const lock = `${dir}.lock`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than any bundling run is left over from a killed process.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 180_000)
        rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline)
        throw new Error(`${lock} held for 3 minutes; remove it if no bundling is running`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export async function bundleWorkers(opts: {
  root: string;
  /** "" is the top level (local dev and tests). */
  env: string;
  processEnv?: NodeJS.ProcessEnv;
  exec?: Exec;
}): Promise<Bundle[]> {
  const { root, env } = opts;
  const base = join(root, ".build", "bundles", env || "local");
  await buildAssets({
    source: join(root, "workers/edge/static"),
    out: join(root, ".build/assets"),
    manifest: join(root, ".build/manifest.json"),
  });
  const processEnv = opts.processEnv ?? process.env;
  const run = wrangler(
    opts.exec
      ? { cwd: root, env: processEnv, log: () => {}, exec: opts.exec }
      : { cwd: root, env: processEnv, log: () => {} },
  );
  const bundler = whichWrangler(processEnv);
  return withLock(base, () =>
    Promise.all(
      WORKER_CONFIGS.map(async (config): Promise<Bundle> => {
        const { role } = readWorker(root, config, env);
        const dir = join(base, role);
        const metafile = join(dir, "bundle-meta.json");
        const stamp = join(dir, "inputs.json");
        const known = existsSync(stamp)
          ? (JSON.parse(readFileSync(stamp, "utf8")) as { fingerprint?: string; wranglerSays?: unknown })
          : null;
        const current = fingerprint(root, config, env, metafile, bundler);
        const reused = current !== null && known?.fingerprint === current && known.wranglerSays !== undefined;
        let warnings = "";
        if (!reused) {
          const tmp = `${dir}.tmp-${process.pid}`;
          rmSync(tmp, { recursive: true, force: true });
          const args = ["deploy", "--dry-run", "-c", config, "--env", env, "--outdir", tmp];
          const r = await run.run([...args, "--metafile", join(tmp, "bundle-meta.json")], { quiet: true });
          if (r.code !== 0) throw new Error(`bundling ${config} failed: ${errorTitle(r.stderr) || r.stdout}`);
          if (plain(r.stderr).includes("[WARNING]")) warnings = plain(r.stderr).trim();
          rmSync(dir, { recursive: true, force: true });
          renameSync(tmp, dir);
          // wrangler's own "Total Upload" line, kept to check that `measure` counts what wrangler uploads.
          const wranglerSays = totalUpload(r.stdout);
          writeFileSync(
            stamp,
            JSON.stringify({ fingerprint: fingerprint(root, config, env, metafile, bundler), wranglerSays }),
          );
        }
        return {
          role,
          config,
          dir,
          main: join(dir, "index.js"),
          metafile,
          reused,
          warnings,
          ...measure(dir),
        };
      }),
    ),
  );
}

/** The size table, and for a Worker over budget the packages and folders that weigh most. */
export function sizeReport(bundles: Bundle[], budgets = BUDGETS_KIB): { lines: string[]; over: string[] } {
  const { lines, over } = checkBudgets(bundles, budgets);
  const why = over.map((o) => {
    const b = bundles.find((x) => x.role === o.role);
    const meta = b ? JSON.parse(readFileSync(b.metafile, "utf8")) : { outputs: {} };
    // Inputs are named relative to the config's folder; name them from the project root instead.
    const base = b ? join(dirname(b.config)) : ".";
    for (const out of Object.values(meta.outputs) as { inputs: Record<string, unknown> }[]) {
      out.inputs = Object.fromEntries(
        Object.entries(out.inputs).map(([k, v]) => [relative(".", join(base, k)), v]),
      );
    }
    return `${o.role} is over its ${o.budget} KiB gzip budget; biggest contributors (minified): ${describeContributors(contributors(meta))}`;
  });
  return { lines, over: why };
}

async function main() {
  const { values } = parseArgs({ options: { env: { type: "string", default: "" } } });
  const root = resolve(import.meta.dirname, "../..");
  const started = Date.now();
  const bundles = await bundleWorkers({ root, env: values.env });
  const reused = bundles.every((b) => b.reused);
  console.log(
    `bundles (${values.env || "top level"}, ${reused ? "unchanged" : `built in ${((Date.now() - started) / 1000).toFixed(1)} s`}):`,
  );
  const report = sizeReport(bundles);
  for (const line of report.lines) console.log(`  ${line}`);
  for (const line of report.over) console.log(`  ${line}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((e: unknown) => {
    console.error(`bundle: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  });
}
