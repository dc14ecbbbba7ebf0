// A fake `wrangler` for tests: the pinned 4.155.0's argv, output and exit codes against a fake account on disk.
// Put this folder first on PATH and point FAKE_WRANGLER_STATE at a directory; every call is logged there.
import { spawnSync } from "node:child_process";
import { invoke } from "./invoke.ts";

/** All of stdin, as `secret put|bulk` read it (asynchronously: a sync read of a pipe can fail with EAGAIN). */
async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return "";
  let text = "";
  for await (const chunk of process.stdin) text += String(chunk);
  return text;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  // A dry run needs no account: with FAKE_WRANGLER_REAL set, the real wrangler bundles for real.
  const real = process.env.FAKE_WRANGLER_REAL;
  if (real && argv[0] === "deploy" && argv.includes("--dry-run")) {
    const r = spawnSync(real, argv, { stdio: "inherit" });
    process.exitCode = r.status ?? 1;
    return;
  }
  const stdin = argv[0] === "secret" ? await readStdin() : "";
  const r = invoke({ argv, cwd: process.cwd(), env: process.env, stdin });
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  process.exitCode = r.code;
}

await main();
