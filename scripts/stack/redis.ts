// Local Redis for the dev stack: REDIS_URL if given, else redis-server from PATH, else the in-process fallback.
import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants, mkdirSync } from "node:fs";
import path from "node:path";
import { RespStatus } from "./redis/resp.ts";
import { RespClient } from "./redis/resp-client.ts";

export type Log = (line: string) => void;

export interface StartRedisOptions {
  port: number;
  dataDir: string;
  /** REDIS_URL: an already running Redis, used as is and never stopped by us. */
  url?: string;
  log: Log;
  /** How long a REDIS_URL may take to answer PING before the start fails (default 3 s). */
  readyTimeoutMs?: number;
  /** Path of redis-server; undefined = look it up on PATH, null = skip it (forces the fallback). */
  serverBinary?: string | null;
}

export interface RedisHandle {
  kind: "external" | "spawned" | "in-process";
  url: string;
  /** The redis-server we started (fault tests freeze it); null when it is not ours to touch. */
  pid: number | null;
  stop(): Promise<void>;
}

export const FALLBACK_NOTICE =
  "redis: no redis-server on PATH and no REDIS_URL — using an in-process Redis (ioredis-mock, Lua included; " +
  "data is lost on exit, and a command on a wrong type or a non-integer may answer instead of failing); " +
  "install redis-server for the real thing";

export function findOnPath(binary: string, envPath = process.env.PATH ?? ""): string | null {
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, binary);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return null;
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable REDIS_URL)";
  }
}

/** PINGs until Redis answers, `gone()` reports the process died, or the deadline passes. */
async function waitForPong(url: string, deadlineMs: number, gone: () => string | null): Promise<void> {
  const started = Date.now();
  let lastError = "no answer";
  while (Date.now() - started < deadlineMs) {
    const died = gone();
    if (died) throw new Error(died);
    const client = new RespClient(url, { connectTimeoutMs: 500, commandTimeoutMs: 1000 });
    try {
      const reply = await client.send(["PING"]);
      if (reply instanceof RespStatus && reply.value === "PONG") return;
      lastError = `unexpected PING reply ${JSON.stringify(reply)}`;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    } finally {
      await client.close();
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis at ${redactUrl(url)} not ready after ${deadlineMs} ms: ${lastError}`);
}

/** Kills the child if this process exits or is signalled, so no redis-server outlives the dev stack. */
function killWithParent(child: ChildProcess): () => void {
  const onExit = () => child.kill("SIGKILL");
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  const onSignal = (signal: NodeJS.Signals) => {
    child.kill("SIGKILL");
    detach();
    // Re-raise only if nobody else handles it, so our listener does not swallow the default exit.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const detach = () => {
    process.off("exit", onExit);
    for (const signal of signals) process.off(signal, onSignal);
  };
  process.on("exit", onExit);
  for (const signal of signals) process.on(signal, onSignal);
  return detach;
}

async function spawnRedis(binary: string, opts: StartRedisOptions): Promise<RedisHandle> {
  mkdirSync(opts.dataDir, { recursive: true });
  const args = ["--port", String(opts.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  args.push("--dir", opts.dataDir, "--daemonize", "no", "--loglevel", "warning");
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(...chunk.toString().split("\n").filter(Boolean));
    output.splice(0, Math.max(0, output.length - 20));
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let exit: string | null = null;
  const exited = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      exit = `redis-server exited (${signal ?? `code ${code}`}): ${output.slice(-5).join(" | ")}`;
      resolve();
    });
    child.once("error", (error) => {
      exit = `redis-server failed to start: ${error.message}`;
      resolve();
    });
  });
  const detach = killWithParent(child);
  const url = `redis://127.0.0.1:${opts.port}`;
  try {
    await waitForPong(url, 5000, () => exit);
  } catch (error) {
    child.kill("SIGKILL");
    detach();
    throw error;
  }
  opts.log(`redis: started ${binary} on port ${opts.port} (pid ${child.pid}, no persistence)`);
  return {
    kind: "spawned",
    url,
    pid: child.pid ?? null,
    async stop() {
      if (exit === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
        await exited;
        clearTimeout(timer);
      }
      detach();
    },
  };
}

export async function startRedis(opts: StartRedisOptions): Promise<RedisHandle> {
  if (opts.url) {
    await waitForPong(opts.url, opts.readyTimeoutMs ?? 3000, () => null);
    opts.log(`redis: using REDIS_URL ${redactUrl(opts.url)}`);
    return { kind: "external", url: opts.url, pid: null, stop: async () => {} };
  }
  const binary = opts.serverBinary === undefined ? findOnPath("redis-server") : opts.serverBinary;
  if (binary) return spawnRedis(binary, opts);
  opts.log(FALLBACK_NOTICE);
  // Loaded only here: ioredis-mock and its Lua VM take ~0.4 s to import, which a stack with redis-server never pays.
  const [{ FallbackRedis }, { serveResp }] = await Promise.all([
    import("./redis/fallback-redis.ts"),
    import("./redis/resp-server.ts"),
  ]);
  const redis = new FallbackRedis();
  const server = await serveResp(redis, opts.port);
  return {
    kind: "in-process",
    url: `redis://127.0.0.1:${server.port}`,
    pid: null,
    async stop() {
      await server.close();
      await redis.close();
    },
  };
}
