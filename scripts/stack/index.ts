// Starts the whole local backing stack (Postgres primary + replica, Neon proxy, Redis, Upstash proxy) and stops it.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { migrate } from "../db/migrate.ts";
import { facetRedis, rebuildSearchIndex } from "../db/search-index.ts";
import { seed } from "../db/seed.ts";
import { type Fakes, startFakes } from "./fakes.ts";
import { freePort, portIsFree } from "./free-port.ts";
import { freezeTree, thawTree } from "./freeze.ts";
import { startPostgres } from "./postgres.ts";
import { type ProxyProcess, startProxyProcess } from "./proxy-process.ts";
import { startRedis } from "./redis.ts";

export interface StackPorts {
  primary: number;
  replica: number;
  neonProxy: number;
  redis: number;
  upstash: number;
  /** Local stand-ins for Turnstile, Resend and Sentry (scripts/stack/fakes.ts). */
  fakes: number;
}

// Below every OS's ephemeral range (Linux 32768–60999, macOS and Windows 49152–65535), so an outgoing
// connection can never be holding one as its source port, and away from 5432, 6379 and 8787.
export const DEV_PORTS: StackPorts = {
  primary: 25432,
  replica: 25433,
  neonProxy: 25480,
  redis: 26379,
  upstash: 26380,
  fakes: 26390,
};

export type FaultTarget = "primary" | "replica" | "redis" | "neon-proxy" | "upstash-proxy";
/** freeze = SIGSTOP (accepts, never answers: a hung server); stop = gone (connections refused). */
export type FaultAction = "freeze" | "thaw" | "stop" | "start";

export interface StackSecrets {
  edgeSecret: string;
  adminToken: string;
  upstashToken: string;
  r2AccessKeyId: string;
  r2SecretAccessKey: string;
}

export interface Stack {
  /** Connection strings as the Workers see them (the Neon driver reaches them through the proxy). */
  primaryUrl: string;
  replicaUrl: string;
  /** Overrides given by the user (DATABASE_URL etc.) are reported so the banner can say what is real. */
  external: { database: boolean; redis: boolean };
  neonProxy: string;
  upstashUrl: string;
  redisKind: string;
  secrets: StackSecrets;
  fakes: Omit<Fakes, "stop">;
  stopReplica(): Promise<void>;
  startReplica(opts?: { applyDelayMs?: number }): Promise<void>;
  /** For failure tests: Redis goes away (the Upstash proxy answers 503) and comes back on the same port. */
  stopRedis(): Promise<void>;
  startRedis(): Promise<void>;
  /** Fault injection for the tests and `npm run faults`. */
  fault(target: FaultTarget, action: FaultAction): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  dataDir: string;
  ports: StackPorts;
  applyDelayMs?: number;
  log: (line: string) => void;
  env?: Record<string, string | undefined>;
  /** A fixed port that is taken is replaced by a free one (said in the log) instead of failing. */
  fallbackPorts?: boolean;
}

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === "127.0.0.1" || host === "localhost" || host === "::1" || host === "[::1]";
}

/** Secrets are generated once per data dir, so cookies and tokens survive restarts of the dev stack. */
function loadSecrets(dataDir: string): StackSecrets {
  const file = join(dataDir, "secrets.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as StackSecrets;
  const hex = (n: number) => randomBytes(n).toString("hex");
  const secrets = {
    edgeSecret: hex(32),
    adminToken: hex(24),
    upstashToken: hex(24),
    r2AccessKeyId: hex(10),
    r2SecretAccessKey: hex(20),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  const env = opts.env ?? process.env;
  const { log } = opts;
  const ports = opts.fallbackPorts ? await freeOrFallback(opts.ports, log) : opts.ports;
  mkdirSync(opts.dataDir, { recursive: true });
  const secrets = loadSecrets(opts.dataDir);
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((e: unknown) => log(`stop failed: ${String(e)}`));
    stops.length = 0;
  };
  try {
    let primaryUrl = env.DATABASE_URL ?? "";
    let replicaUrl = env.REPLICA_URL ?? env.REPLICA_URLS?.split(",")[0] ?? "";
    let pg: Awaited<ReturnType<typeof startPostgres>> | null = null;
    if (primaryUrl) {
      log(
        `postgres: using DATABASE_URL (${new URL(primaryUrl).host})${replicaUrl ? " and REPLICA_URL" : ""}`,
      );
      replicaUrl ||= primaryUrl;
    } else {
      pg = await startPostgres({
        dataDir: join(opts.dataDir, "pg"),
        primaryPort: ports.primary,
        replicaPort: ports.replica,
        applyDelayMs: opts.applyDelayMs ?? 0,
        log,
      });
      stops.push(() => pg?.stop() ?? Promise.resolve());
      primaryUrl = pg.primaryUrl;
      replicaUrl = pg.replicaUrl;
    }
    const started = Date.now();
    await migrate(env.DIRECT_DATABASE_URL ?? primaryUrl, { log: (l) => log(`migrate: ${l}`) });
    await seed(primaryUrl, { devSessions: true });
    log(`postgres: migrations applied, seed data loaded (${Date.now() - started} ms)`);

    let neon = await startProxyProcess(["neon", String(ports.neonProxy)], log);
    stops.push(() => neon.stop());

    const redisOptions = { port: ports.redis, dataDir: join(opts.dataDir, "redis"), url: env.REDIS_URL, log };
    let redis = await startRedis(redisOptions);
    stops.push(() => redis.stop());
    const upstashArgs = ["upstash", String(ports.upstash), redis.url, secrets.upstashToken];
    let upstash = await startProxyProcess(upstashArgs, log);
    stops.push(() => upstash.stop());
    const fakes = await startFakes({ port: ports.fakes, log });
    stops.push(() => fakes.stop());
    // This Redis keeps nothing across restarts: the search facet sets are rebuilt from Postgres every start.
    const search = await rebuildSearchIndex({
      databaseUrl: primaryUrl,
      redis: facetRedis(upstash.url, secrets.upstashToken),
    });
    log(`search: ${search.facets?.sets ?? 0} facet sets built from Postgres (${search.ms} ms)`);

    const restart = async (p: ProxyProcess, args: string[]) => {
      await p.stop();
      return startProxyProcess(args, log);
    };
    const pgPid = (which: "primary" | "replica") => {
      const pid = pg?.pids()[which];
      if (!pid) throw new Error(`${which}: not a local server (or not running), cannot inject a fault`);
      return pid;
    };
    const fault = async (target: FaultTarget, action: FaultAction) => {
      const pid =
        target === "primary" || target === "replica"
          ? () => pgPid(target)
          : target === "redis"
            ? () => redis.pid ?? upstash.pid
            : target === "neon-proxy"
              ? () => neon.pid
              : () => upstash.pid;
      if (action === "freeze") return void freezeTree(pid());
      if (action === "thaw") return thawTree(pid());
      if (target === "neon-proxy") {
        if (action === "stop") return neon.stop();
        neon = await restart(neon, ["neon", String(ports.neonProxy)]);
        return;
      }
      if (target === "upstash-proxy") {
        if (action === "stop") return upstash.stop();
        upstash = await restart(upstash, upstashArgs);
        return;
      }
      if (target === "redis") {
        if (action === "stop") return redis.stop();
        redis = await startRedis(redisOptions);
        return;
      }
      if (target === "replica") return action === "stop" ? pg?.stopReplica() : pg?.startReplica();
      throw new Error("stopping the primary is not a supported fault: freeze it instead");
    };

    return {
      primaryUrl,
      replicaUrl,
      external: { database: pg === null, redis: redis.kind === "external" },
      // A real Neon database is reached directly; only a loopback Postgres needs the local proxy.
      neonProxy: isLoopback(primaryUrl) ? neon.url.replace(/^http:\/\//, "") : "",
      upstashUrl: upstash.url,
      redisKind: redis.kind,
      secrets,
      fakes: {
        url: fakes.url,
        turnstileVerifyUrl: fakes.turnstileVerifyUrl,
        turnstileScriptUrl: fakes.turnstileScriptUrl,
        resendUrl: fakes.resendUrl,
        sentryDsn: fakes.sentryDsn,
      },
      stopReplica: () => pg?.stopReplica() ?? Promise.resolve(),
      startReplica: (o) => pg?.startReplica(o) ?? Promise.resolve(),
      stopRedis: () => redis.stop(),
      startRedis: async () => {
        redis = await startRedis(redisOptions);
      },
      fault,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Keeps each fixed port when it is free; a taken one is named in the log and swapped for a free port. */
async function freeOrFallback(ports: StackPorts, log: (line: string) => void): Promise<StackPorts> {
  const out = { ...ports };
  for (const name of Object.keys(ports) as (keyof StackPorts)[]) {
    if (await portIsFree(ports[name])) continue;
    out[name] = await freePort();
    log(`port ${ports[name]} (${name}) is taken by another process on 127.0.0.1; using ${out[name]} instead`);
  }
  return out;
}
