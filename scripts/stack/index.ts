// Starts the whole local backing stack (Postgres primary + replica, Neon proxy, Redis, Upstash proxy) and stops it.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { migrate } from "../db/migrate.ts";
import { seed } from "../db/seed.ts";
import { startNeonProxy } from "./neon-proxy.ts";
import { startPostgres } from "./postgres.ts";
import { startRedis } from "./redis.ts";
import { startUpstashProxy } from "./upstash-proxy.ts";

export interface StackPorts {
  primary: number;
  replica: number;
  neonProxy: number;
  redis: number;
  upstash: number;
}

export const DEV_PORTS: StackPorts = {
  primary: 54320,
  replica: 54321,
  neonProxy: 54330,
  redis: 54379,
  upstash: 54380,
};
// Tests use their own ports and data so `npm test` works while `npm run dev` is running.
export const TEST_PORTS: StackPorts = {
  primary: 55320,
  replica: 55321,
  neonProxy: 55330,
  redis: 55379,
  upstash: 55380,
};

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
  stopReplica(): Promise<void>;
  startReplica(opts?: { applyDelayMs?: number }): Promise<void>;
  /** For failure tests: Redis goes away (the Upstash proxy answers 503) and comes back on the same port. */
  stopRedis(): Promise<void>;
  startRedis(): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  dataDir: string;
  ports: StackPorts;
  applyDelayMs?: number;
  log: (line: string) => void;
  env?: Record<string, string | undefined>;
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
  const { ports, log } = opts;
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
    await seed(primaryUrl);
    log(`postgres: migrations applied, seed data loaded (${Date.now() - started} ms)`);

    const proxy = await startNeonProxy({ port: ports.neonProxy, log });
    stops.push(() => proxy.close());

    const redisOptions = { port: ports.redis, dataDir: join(opts.dataDir, "redis"), url: env.REDIS_URL, log };
    let redis = await startRedis(redisOptions);
    stops.push(() => redis.stop());
    const upstash = await startUpstashProxy({
      port: ports.upstash,
      redisUrl: redis.kind === "in-process" ? null : redis.url,
      token: secrets.upstashToken,
      log,
    });
    stops.push(() => upstash.close());

    return {
      primaryUrl,
      replicaUrl,
      external: { database: pg === null, redis: redis.kind === "external" },
      // A real Neon database is reached directly; only a loopback Postgres needs the local proxy.
      neonProxy: isLoopback(primaryUrl) ? `127.0.0.1:${ports.neonProxy}` : "",
      upstashUrl: upstash.url,
      redisKind: redis.kind,
      secrets,
      stopReplica: () => pg?.stopReplica() ?? Promise.resolve(),
      startReplica: (o) => pg?.startReplica(o) ?? Promise.resolve(),
      stopRedis: () => redis.stop(),
      startRedis: async () => {
        redis = await startRedis(redisOptions);
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
