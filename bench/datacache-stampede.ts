// Bench: the object cache and counters against a real redis-server behind the Upstash REST proxy (Node, via tsx).
// Usage: npx tsx bench/datacache-stampede.ts   (needs redis-server on PATH, else uses the in-process fallback)
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Redis } from "@upstash/redis";
import { freePort } from "../scripts/stack/free-port.ts";
import { startRedis } from "../scripts/stack/redis.ts";
import { startUpstashProxy } from "../scripts/stack/upstash-proxy.ts";
import { createCounters } from "../shared/counters/index.ts";
import { createDataCache } from "../shared/datacache/index.ts";

const ISOLATES = 20;
const CALLERS = 200;
const INCREMENTS = 10_000;
const trips: string[] = [];
// Breaker trips are expected in the new-connections case; count them instead of printing twenty lines.
const log = (line: string) => (line.includes("skipping Redis") ? trips.push(line) : console.log(`  ${line}`));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Scenario {
  label: string;
  expired: boolean;
  timeoutMs: number;
  /** Open each client's connection first, as in an isolate that has served requests before. */
  warm: boolean;
}

async function stampede(url: string, token: string, { label, expired, timeoutMs, warm }: Scenario) {
  const clock = { offset: 0 };
  // One Redis client and one cache per simulated isolate; they share nothing but Redis.
  const clients = Array.from({ length: ISOLATES }, () => new Redis({ url, token, retry: false }));
  if (warm) await Promise.all(clients.map((client) => client.ping()));
  const caches = clients.map((redis) =>
    createDataCache({ redis, now: () => Date.now() + clock.offset, timeoutMs, log }),
  );
  const key = `bench:${label}:${Date.now()}`;
  let loads = 0;
  const load = async () => {
    loads++;
    await sleep(50); // a 50 ms database query
    return { rows: 42 };
  };
  if (expired) {
    await caches[0]?.cached(key, 60, load);
    loads = 0;
    clock.offset = 61_000; // logically expired, still stored for stale serving
  }
  trips.length = 0;
  const started = performance.now();
  const latencies = await Promise.all(
    Array.from({ length: CALLERS }, async (_, i) => {
      const t = performance.now();
      await caches[i % ISOLATES]?.cached(key, 60, load);
      return performance.now() - t;
    }),
  );
  latencies.sort((a, b) => a - b);
  const p50 = latencies[Math.floor(CALLERS / 2)] ?? 0;
  const wall = performance.now() - started;
  console.log(
    `${label.padEnd(46)} DB loads: ${loads} (goal 1)  wall ${wall.toFixed(0)} ms  p50 ${p50.toFixed(1)} ms  max ${(latencies.at(-1) ?? 0).toFixed(1)} ms` +
      (trips.length ? `  (${trips.length} isolates timed out on Redis and failed open)` : ""),
  );
  return loads;
}

/** failEvery = n: every n-th flush attempt fails (simulated DB error) and must be retried without loss. */
async function counterFlush(url: string, token: string, failEvery: number) {
  const counters = createCounters(new Redis({ url, token, retry: false }), { log, timeoutMs: 2000 });
  const name = `bench${Date.now()}`;
  let commits = 0;
  let failures = 0;
  let attempts = 0;
  let applied = 0;
  const apply = async (counts: Map<string, number>) => {
    await sleep(5);
    if (failEvery > 0 && ++attempts % failEvery === 0) {
      failures++;
      throw new Error("simulated DB failure");
    }
    commits++;
    for (const n of counts.values()) applied += n;
  };
  const flush = () => counters.drain(name, apply).catch(() => {});
  let running = true;
  const flusher = (async () => {
    while (running) {
      await flush();
      await sleep(25);
    }
  })();
  const started = performance.now();
  for (let sent = 0; sent < INCREMENTS; sent += 500) {
    await Promise.all(Array.from({ length: 500 }, (_, i) => counters.incr(name, (sent + i) % 50)));
  }
  const incrMs = performance.now() - started;
  running = false;
  await flusher;
  for (let i = 0; i < 20 && applied < INCREMENTS; i++) await flush();
  console.log(
    (failEvery ? `counters, every ${failEvery}nd flush fails` : "counters, healthy DB").padEnd(46) +
      ` ${INCREMENTS} increments in ${incrMs.toFixed(0)} ms → ${commits} flush commits` +
      `${failures ? ` (+${failures} failed, retried)` : ""}; applied ${applied}, dropped ${counters.dropped()}`,
  );
  return applied;
}

/** Redis + proxy run in a child process, as they would outside the Worker, so they do not share our event loop. */
async function serveInChild(): Promise<{ url: string; token: string; stop(): void }> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--serve"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /^PROXY (\S+)$/m.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`bench server exited (${code}): ${out}`)));
  });
  return { url, token: "bench", stop: () => child.kill("SIGTERM") };
}

if (process.argv.includes("--serve")) {
  const redis = await startRedis({
    port: await freePort(),
    dataDir: "/tmp/bench-redis",
    log: console.error,
  });
  const proxy = await startUpstashProxy({ port: 0, redisUrl: redis.url, token: "bench", log: console.error });
  const stop = async () => {
    await proxy.close();
    await redis.stop();
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop());
  // Our stdin is the parent's pipe: if the parent dies without stopping us, stop anyway.
  process.stdin.on("close", () => void stop());
  process.stdin.resume();
  console.log(`PROXY ${proxy.url}`);
} else {
  await main();
}

async function main() {
  const proxy = await serveInChild();
  let ok = true;
  try {
    console.log(
      `\n${CALLERS} concurrent cached() calls over ${ISOLATES} isolates (redis-server + proxy in a child process):`,
    );
    // Informational: brand-new connections can exceed a 50 ms budget, and each isolate then fails open to the DB.
    await stampede(proxy.url, proxy.token, {
      label: "new connections, missing key, 50 ms",
      expired: false,
      timeoutMs: 50,
      warm: false,
    });
    const scenarios: Scenario[] = [
      { label: "warm connections, missing key, 50 ms", expired: false, timeoutMs: 50, warm: true },
      { label: "warm connections, expired key (stale), 50 ms", expired: true, timeoutMs: 50, warm: true },
      { label: "new connections, missing key, 500 ms", expired: false, timeoutMs: 500, warm: false },
    ];
    for (const scenario of scenarios) ok = (await stampede(proxy.url, proxy.token, scenario)) === 1 && ok;
    console.log("");
    ok = (await counterFlush(proxy.url, proxy.token, 0)) === INCREMENTS && ok;
    ok = (await counterFlush(proxy.url, proxy.token, 2)) === INCREMENTS && ok;
  } finally {
    proxy.stop();
  }
  console.log(
    ok
      ? "\nRESULT: ok (1 load per stampede, every increment applied exactly once)"
      : "\nRESULT: goals missed",
  );
  process.exitCode = ok ? 0 : 1;
}
