// Runs the real bundled edge Worker, a bare Worker and a stub origin in one workerd (miniflare), each on its own port.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { unstable_readConfig } from "wrangler";
import { benchMiniflare } from "./miniflare.ts";
import { BARE_WORKER, CACHE_API_WORKER, ORIGIN_STUB_WORKER } from "./stub-workers.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const run = promisify(execFile);

/**
 * A bench-only copy of the edge bundle with text replaced (product code untouched), e.g. the hot cache sized to 0.
 * Every `find` must match, or the variant is skipped and reported: a silent no-op would measure the wrong thing.
 */
export interface EdgeVariant {
  name: string;
  patches: readonly { find: RegExp; replace: string }[];
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
  /** Other edge bundles (e.g. from another commit: bundleEdge's `root`), run beside this one with its bindings. */
  edges?: readonly { name: string; scriptPath: string }[];
}

export interface LogCount {
  line: string;
  count: number;
}

export interface EdgeStack {
  /** Base URL of each Worker's own socket: bare, edge, origin, each variant's name, cache-api when asked for. */
  readonly urls: ReadonlyMap<string, URL>;
  /** Variants whose patches did not all match the bundle, with the reason. */
  readonly skipped: readonly string[];
  /** workerd's log lines since the last call (console output and uncaught errors), deduplicated with counts. */
  takeLogs(): LogCount[];
  dispose(): Promise<void>;
}

/** Bundles the edge exactly as `wrangler deploy` would, into a fresh temp dir; `root` is a checkout (this one). */
export async function bundleEdge(outDir: string, root = ROOT): Promise<string> {
  const wrangler = path.join(ROOT, "node_modules/wrangler/bin/wrangler.js");
  await run(process.execPath, [wrangler, "deploy", "--dry-run", "--outdir", outDir], {
    cwd: root,
    env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
  });
  return path.join(outDir, "index.js");
}

export async function startEdgeStack(opts: EdgeStackOptions): Promise<EdgeStack> {
  const tmp = await mkdtemp(path.join(tmpdir(), "edgeplate-bench-"));
  try {
    return await start(tmp, opts);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

async function start(tmp: string, opts: EdgeStackOptions): Promise<EdgeStack> {
  const edgeScript = await bundleEdge(path.join(tmp, "edge"));
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
  const workers = [
    { ...edgeEnv, name: "edge", scriptPath: edgeScript, modulesRoot: tmp },
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
    workers.push({ ...edgeEnv, name: v.name, scriptPath: patched, modulesRoot: tmp });
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

  const { mf, logs } = benchMiniflare(workers);
  try {
    await mf.ready;
    const urls = new Map<string, URL>();
    for (const w of workers) urls.set(w.name, await mf.unsafeGetDirectURL(w.name));
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
