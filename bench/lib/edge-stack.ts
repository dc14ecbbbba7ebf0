// Runs the real bundled edge Worker, a bare Worker and a stub origin in one workerd (miniflare), each on its own port.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { unstable_readConfig } from "wrangler";
import { BARE_WORKER, CACHE_API_WORKER, ORIGIN_STUB_WORKER } from "./stub-workers.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const run = promisify(execFile);

/** The one line in the bundle that sizes the hot cache; the bench swaps it to build a hot-cache-off copy. */
export const HOT_DEFAULT_LINE = /var DEFAULT_HOT = \{ maxEntries: \d+,/;

export interface OriginStubOptions {
  /** Cache-Control the stub origin sends on its page. */
  cacheControl: string;
  /** How long the stub origin takes before answering. */
  delayMs: number;
}

export interface EdgeStackOptions {
  origin: OriginStubOptions;
  /** Also run a copy of the edge bundle with the in-isolate hot cache sized to 0 (bench-only build). */
  noHotVariant?: boolean;
  /** Also run a minimal Worker that answers from the Cache API (the platform's floor for a hit). */
  cacheApiWorker?: boolean;
}

export interface EdgeStack {
  /** Base URL of each Worker's own socket: bare, edge, origin, and edge-nohot / cache-api when asked for. */
  readonly urls: ReadonlyMap<string, URL>;
  /** Present when the no-hot variant was requested but the bundle could not be patched. */
  readonly noHotSkipped?: string;
  dispose(): Promise<void>;
}

/** Bundles the edge exactly as `wrangler deploy` would, into a fresh temp dir. */
export async function bundleEdge(outDir: string): Promise<string> {
  const wrangler = path.join(ROOT, "node_modules/wrangler/bin/wrangler.js");
  await run(process.execPath, [wrangler, "deploy", "--dry-run", "--outdir", outDir], {
    cwd: ROOT,
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
      CF_ZONE_ID: "",
      CF_API_TOKEN: "",
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
      bindings: { CACHE_CONTROL: opts.origin.cacheControl, DELAY_MS: String(opts.origin.delayMs) },
    },
  ];
  let noHotSkipped: string | undefined;
  if (opts.noHotVariant) {
    const source = await readFile(edgeScript, "utf8");
    if (HOT_DEFAULT_LINE.test(source)) {
      const patched = path.join(tmp, "edge-nohot.js");
      await writeFile(patched, source.replace(HOT_DEFAULT_LINE, "var DEFAULT_HOT = { maxEntries: 0,"));
      workers.push({ ...edgeEnv, name: "edge-nohot", scriptPath: patched, modulesRoot: tmp });
    } else {
      noHotSkipped = "DEFAULT_HOT not found in the edge bundle; hot-cache-off variant skipped";
    }
  }
  if (opts.cacheApiWorker) workers.push({ ...runtime, name: "cache-api", script: CACHE_API_WORKER });

  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port: 0,
      cf: false,
      log: undefined,
      resourcePersistencePath: undefined,
      workers,
    }),
  );
  try {
    await mf.ready;
    const urls = new Map<string, URL>();
    for (const w of workers) urls.set(w.name, await mf.unsafeGetDirectURL(w.name));
    return {
      urls,
      noHotSkipped,
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
