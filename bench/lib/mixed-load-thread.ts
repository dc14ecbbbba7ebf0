// The load client's thread: keep-alive sockets replaying a request list, each answer timed and sorted by kind.
import net from "node:net";
import { parentPort, workerData } from "node:worker_threads";
import { ResponseParser } from "./http-parse.ts";
import type { MixedLoadPlan, RawSamples } from "./mixed-load.ts";

const plan = workerData as MixedLoadPlan;
const target = new URL(plan.url);
const kinds = [...new Set(plan.requests.map((r) => r.kind))];
const wire = plan.requests.map((r) => {
  const headers = Object.entries(r.headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("");
  return {
    kind: kinds.indexOf(r.kind),
    bytes: Buffer.from(`GET ${r.path} HTTP/1.1\r\nHost: ${target.host}\r\n${headers}\r\n`, "latin1"),
  };
});

const samples: RawSamples = {
  kinds,
  latencies: kinds.map(() => []),
  hitLatencies: kinds.map(() => []),
  non2xx: kinds.map(() => 0),
  errors: 0,
  seconds: 0,
};
let next = 0;
const started = performance.now();
const deadline = started + plan.seconds * 1000;

function connection(): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: target.hostname, port: Number(target.port), noDelay: true });
    const parser = new ResponseParser();
    let inFlight: { kind: number; at: number } | null = null;
    const send = () => {
      if (performance.now() >= deadline) {
        socket.end();
        return;
      }
      const r = wire[next++ % wire.length];
      if (!r) return;
      inFlight = { kind: r.kind, at: performance.now() };
      socket.write(r.bytes);
    };
    socket.on("connect", send);
    socket.on("data", (chunk: Buffer) => {
      for (const res of parser.feed(chunk)) {
        if (!inFlight) continue;
        const ms = performance.now() - inFlight.at;
        samples.latencies[inFlight.kind]?.push(ms);
        if (res.cacheStatus !== null && /;\s*hit\b/.test(res.cacheStatus))
          samples.hitLatencies[inFlight.kind]?.push(ms);
        if (res.status >= 400) samples.non2xx[inFlight.kind] = (samples.non2xx[inFlight.kind] ?? 0) + 1;
        inFlight = null;
        send();
      }
    });
    socket.on("error", () => {
      samples.errors++;
    });
    socket.on("close", () => {
      // A dropped connection (not ours to end) is replaced while the run lasts.
      if (performance.now() < deadline && inFlight !== null) void connection().then(resolve);
      else resolve();
    });
  });
}

await Promise.all(Array.from({ length: plan.connections }, connection));
samples.seconds = (performance.now() - started) / 1000;
parentPort?.postMessage(samples);
