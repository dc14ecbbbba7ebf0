// Runs the real bundled edge Worker, a bare Worker, a stub origin and the switchboard object in one workerd
// (miniflare), each on its own port.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { unstable_readConfig } from "wrangler";
import { benchMiniflare } from "./miniflare.ts";
import { BARE_WORKER, CACHE_API_WORKER, FLOOR_WORKER, ORIGIN_STUB_WORKER } from "./stub-workers.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const run = promisify(execFile);

/**
 * A bench-only copy of the edge bundle with text replaced (product code untouched), e.g. the hot cache sized to 0.
 * Every `find` must match, or the variant is skipped and reported: a silent no-op would measure the wrong thing.
 */
export interface EdgeVariant {
  name: string;
  patches: readonly { find: RegExp; replace: string }[];
  /** Vars set on this copy only (e.g. SWITCH_MEMORY_MS). */
  vars?: Record<string, string>;
  /** This copy has no SWITCHBOARD binding: it reads the switches from KV alone. */
  withoutSwitchboard?: boolean;
}

export interface OriginStubOptions {
  /** Cache-Control the stub origin sends on its page. */
  cacheControl: string;
  /** Cache-Control for paths under /short/ (default: the same as cacheControl). */
  shortCacheControl?: string;
  /** How long the stub origin takes before answering. */
  delayMs: number;
}

export interface EdgeStackOptions {
  origin: OriginStubOptions;
  /** Extra copies of the edge, each on its own socket under its own name. */
  variants?: readonly EdgeVariant[];
  /** Also run a minimal Worker that answers from the Cache API (the platform's floor for a hit). */
  cacheApiWorker?: boolean;
  /** Also run the floor Worker (bench/lib/stub-workers.ts) in front of the stub origin, as "floor". */
  floorWorker?: boolean;
  /**
   * Another checkout of the project (a path): its edge is bundled there and run beside this one as "baseline",
   * with the same bindings as far as its config asks for them, to compare a change against what came before.
   */
  baseline?: string;
  /** Other edge bundles (e.g. from another commit: bundleEdge's `root`), run beside this one with its bindings. */
  edges?: readonly { name: string; scriptPath: string }[];
}

export interface LogCount {
  line: string;
  count: number;
}

export interface EdgeStack {
  /**
   * Base URL of each Worker's own socket: bare, edge, origin, switchboard (GET: the reads its object answered),
   * each variant's name, cache-api, floor and baseline when asked for.
   */
  readonly urls: ReadonlyMap<string, URL>;
  /** Variants whose patches did not all match the bundle, with the reason. */
  readonly skipped: readonly string[];
  /** workerd's log lines since the last call (console output and uncaught errors), deduplicated with counts. */
  takeLogs(): LogCount[];
  dispose(): Promise<void>;
}

/** Bundles the edge exactly as `wrangler deploy` would, into a fresh temp dir (`root`: another checkout). */
export async function bundleEdge(outDir: string, root = ROOT, config?: string): Promise<string> {
  const wrangler = path.join(ROOT, "node_modules/wrangler/bin/wrangler.js");
  const args = [wrangler, "deploy", "--dry-run", "--outdir", outDir, ...(config ? ["-c", config] : [])];
  await run(process.execPath, args, {
    cwd: root,
    env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
  });
  return path.join(outDir, "index.js");
}

/** The bench's switchboard host (bench/lib/switchboard-host.ts), bundled by wrangler like any Worker. */
async function bundleSwitchboardHost(tmp: string): Promise<string> {
  const config = path.join(tmp, "switchboard-host.toml");
  const main = path.join(ROOT, "bench/lib/switchboard-host.ts");
  await writeFile(
    config,
    `name = "bench-switchboard"\nmain = ${JSON.stringify(main)}\ncompatibility_date = "2026-10-20"\n` +
      `compatibility_flags = ["nodejs_compat"]\n`,
  );
  await bundleEdge(path.join(tmp, "switchboard"), ROOT, config);
  // wrangler names the bundle after the entry file.
  return path.join(tmp, "switchboard", "switchboard-host.js");
}

export async function startEdgeStack(opts: EdgeStackOptions): Promise<EdgeStack> {
  const tmp = await mkdtemp(path.join(tmpdir(), "bench-edge-"));
  try {
    return await start(tmp, opts);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

async function start(tmp: string, opts: EdgeStackOptions): Promise<EdgeStack> {
  const [edgeScript, hostScript, baselineScript] = await Promise.all([
    bundleEdge(path.join(tmp, "edge")),
    bundleSwitchboardHost(tmp),
    opts.baseline ? bundleEdge(path.join(tmp, "baseline"), opts.baseline) : null,
  ]);
  const config = unstable_readConfig({ config: path.join(ROOT, "wrangler.toml") });
  const runtime = {
    compatibilityDate: config.compatibility_date ?? "2026-10-20",
    compatibilityFlags: config.compatibility_flags,
    modules: true,
    // Port 0: the OS picks; unsafeGetDirectURL reports it. Direct sockets skip miniflare's entry proxy.
    unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
  };
  const edgeEnv = {
    ...runtime,
    bindings: {
      ENVIRONMENT: "bench",
      SESSION_COOKIE: "sid",
      EDGE_SECRET: "bench-edge-secret-0123456789abcdef",
      ADMIN_TOKEN: "bench-admin-token-0123456789abcdef",
      // As deployed: purges go to Cloudflare's API, so storing a page writes no local tag index to KV (a dev-only
      // stand-in that costs a KV write per stored page here). The benches never purge.
      CF_ZONE_ID: "bench-zone",
      CF_API_TOKEN: "bench-token",
    },
    kvNamespaces: { CONFIG: "bench-config" },
    serviceBindings: { ORIGIN: "origin" },
    // ASSETS is left out: the edge code never calls it, and Static Assets answers before the Worker in production.
  };
  const switchboard = { SWITCHBOARD: { className: "Switchboard", scriptName: "switchboard" } };
  const workers: Parameters<typeof benchMiniflare>[0] = [
    { ...edgeEnv, name: "edge", scriptPath: edgeScript, modulesRoot: tmp, durableObjects: switchboard },
    // The real switchboard object (it reads its vars as the origin's; only its KV copies and alarm use them).
    {
      ...runtime,
      name: "switchboard",
      scriptPath: hostScript,
      modulesRoot: tmp,
      kvNamespaces: { CONFIG: "bench-config" },
      durableObjects: { SWITCHBOARD: { className: "Switchboard", useSQLite: true } },
      bindings: {
        ENVIRONMENT: "local",
        DATABASE_URL: "postgres://bench@127.0.0.1:1/bench",
        EDGE_SECRET: "bench-edge-secret-0123456789abcdef",
        ADMIN_TOKEN: "bench-admin-token-0123456789abcdef",
        R2_BUCKET: "bench",
      },
    },
    { ...runtime, name: "bare", script: BARE_WORKER },
    {
      ...runtime,
      name: "origin",
      script: ORIGIN_STUB_WORKER,
      bindings: {
        CACHE_CONTROL: opts.origin.cacheControl,
        SHORT_CACHE_CONTROL: opts.origin.shortCacheControl ?? opts.origin.cacheControl,
        DELAY_MS: String(opts.origin.delayMs),
      },
    },
  ];
  const skipped: string[] = [];
  const source = await readFile(edgeScript, "utf8");
  for (const v of opts.variants ?? []) {
    const missing = v.patches.filter((p) => !p.find.test(source));
    if (missing.length > 0) {
      skipped.push(
        `${v.name}: ${missing.map((p) => String(p.find)).join(", ")} not found in the edge bundle`,
      );
      continue;
    }
    const patched = path.join(tmp, `${v.name}.js`);
    await writeFile(
      patched,
      v.patches.reduce((text, p) => text.replace(p.find, p.replace), source),
    );
    workers.push({
      ...edgeEnv,
      name: v.name,
      scriptPath: patched,
      modulesRoot: tmp,
      bindings: { ...edgeEnv.bindings, ...v.vars },
      ...(v.withoutSwitchboard ? {} : { durableObjects: switchboard }),
    });
  }
  if (baselineScript) {
    // Bound like this edge; an older one without a switchboard simply never uses the binding.
    const baseline = {
      name: "baseline",
      scriptPath: baselineScript,
      modulesRoot: tmp,
      durableObjects: switchboard,
    };
    workers.push({ ...edgeEnv, ...baseline });
  }
  for (const e of opts.edges ?? []) {
    workers.push({
      ...edgeEnv,
      name: e.name,
      scriptPath: e.scriptPath,
      modulesRoot: path.dirname(e.scriptPath),
    });
  }
  if (opts.cacheApiWorker) workers.push({ ...runtime, name: "cache-api", script: CACHE_API_WORKER });
  if (opts.floorWorker) {
    workers.push({ ...runtime, name: "floor", script: FLOOR_WORKER, serviceBindings: { ORIGIN: "origin" } });
  }

  const { mf, logs } = benchMiniflare(workers);
  try {
    await mf.ready;
    const urls = new Map<string, URL>();
    for (const w of workers) if (w.name) urls.set(w.name, await mf.unsafeGetDirectURL(w.name));
    return {
      urls,
      skipped,
      takeLogs() {
        const out = [...logs].map(([line, count]) => ({ line, count })).sort((a, b) => b.count - a.count);
        logs.clear();
        return out;
      },
      async dispose() {
        await mf.dispose();
        await rm(tmp, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await mf.dispose();
    throw e;
  }
}
