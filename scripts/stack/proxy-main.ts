// Runs one local proxy (Neon or Upstash) as its own process; `npm run dev` and the tests start it through proxy-process.ts.
//
// argv: neon <port> | upstash <port> <redis-url> <token>. Prints "READY <url>" once listening; exits when
// its parent goes away (IPC disconnect), so no proxy outlives the stack.
import { startNeonProxy } from "./neon-proxy.ts";
import { startUpstashProxy } from "./upstash-proxy.ts";

const [kind, port, redis, token] = process.argv.slice(2);
const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<{ url: string; close(): Promise<void> }> {
  if (kind === "neon") return startNeonProxy({ port: Number(port), log });
  if (kind === "upstash") {
    if (!redis) throw new Error("upstash proxy: missing the redis:// URL argument");
    return startUpstashProxy({
      port: Number(port),
      redisUrl: redis,
      token: token ?? "",
      log,
    });
  }
  throw new Error(`unknown proxy "${kind}" (neon | upstash)`);
}

main().then(
  (proxy) => {
    process.stdout.write(`READY ${proxy.url}\n`);
    const stop = () => void proxy.close().finally(() => process.exit(0));
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
    process.on("disconnect", stop);
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
