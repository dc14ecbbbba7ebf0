// A fake `wrangler` for tests: the pinned 4.155.0's argv, output and exit codes against a fake account on disk.
// Put this folder first on PATH and point FAKE_WRANGLER_STATE at a directory; every call is logged there.
import { spawnSync } from "node:child_process";
import { homedir } from "node:os";
import { join } from "node:path";
import { kv, queues, r2, whoami } from "./account.ts";
import { parseArgs } from "./args.ts";
import { readConfig, requireConfig } from "./config.ts";
import { deploy, versionsUpload } from "./deploy.ts";
import { Out, VERSION, WranglerError } from "./out.ts";
import { writeFailure, writeSession } from "./output-file.ts";
import { secret } from "./secrets.ts";
import { State } from "./state.ts";
import { listings, rollback, versionsDeploy } from "./versions.ts";

// Commands that warn when the config has environments and none was chosen (behaviour flag in wrangler).
const ENV_WARNING: Record<string, string> = {
  deploy: "deploy",
  "versions upload": "versions upload",
  "versions deploy": "versions deploy",
  "secret put": "secret put",
  "secret delete": "secret delete",
  "secret bulk": "secret bulk",
};

/** All of stdin, as `secret put|bulk` read it (asynchronously: a sync read of a pipe can fail with EAGAIN). */
async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return "";
  let text = "";
  for await (const chunk of process.stdin) text += String(chunk);
  return text;
}

function run(argv: string[], state: State, out: Out, stdin: string): number {
  const args = parseArgs(argv);
  const [a = "", b = ""] = args.positionals;
  const command = `${a} ${b}`.trim();
  if (args.flags.has("version")) {
    out.log(VERSION);
    return 0;
  }
  const config = readConfig(args, out, ENV_WARNING[command] ?? (a === "deploy" ? "deploy" : null));
  switch (a) {
    case "whoami":
      return whoami(args, state, out);
    case "kv":
      return kv(args, state, out, config);
    case "r2":
      return r2(args, state, out, config);
    case "queues":
      return queues(args, state, out, config);
    case "secret":
      return secret(args, state, out, config, stdin);
    case "deploy":
      return deploy(args, state, out, requireConfig(config));
    case "rollback":
      return rollback(args, state, out, requireConfig(config));
    case "versions":
      if (b === "upload") return versionsUpload(args, state, out, requireConfig(config));
      if (b === "deploy") return versionsDeploy(args, state, out, requireConfig(config));
      return listings(args, state, out, requireConfig(config));
    case "deployments":
      return listings(args, state, out, requireConfig(config));
    default:
      throw new WranglerError(`fake wrangler: unsupported command: ${argv.join(" ")}`);
  }
}

async function main(): Promise<void> {
  const dir = process.env.FAKE_WRANGLER_STATE;
  if (!dir) {
    process.stderr.write("fake wrangler: set FAKE_WRANGLER_STATE to a directory for its account state\n");
    process.exitCode = 2;
    return;
  }
  const argv = process.argv.slice(2);
  // A dry run needs no account: with FAKE_WRANGLER_REAL set, the real wrangler bundles for real.
  const real = process.env.FAKE_WRANGLER_REAL;
  if (real && argv[0] === "deploy" && argv.includes("--dry-run")) {
    const r = spawnSync(real, argv, { stdio: "inherit" });
    process.exitCode = r.status ?? 1;
    return;
  }
  const state = State.load(dir);
  const out = new Out();
  const stamp = new Date().toISOString().replace("T", "_").replace(/:/g, "-").replace(".", "_").slice(0, 23);
  out.logPath = join(homedir(), ".config/.wrangler/logs", `wrangler-${stamp}.log`);
  const stdin = argv[0] === "secret" ? await readStdin() : "";
  writeSession(argv, out.logPath);
  let code: number;
  try {
    code = run(argv, state, out, stdin);
  } catch (e) {
    if (!(e instanceof WranglerError)) {
      state.release();
      throw e;
    }
    out.error(e);
    writeFailure(e.code, e.title);
    code = 1;
  }
  state.save();
  state.record({ argv, cwd: process.cwd(), env: process.env.CLOUDFLARE_ENV ?? null, stdin, exit: code });
  process.stdout.write(out.stdout);
  process.stderr.write(out.stderr);
  process.exitCode = code;
}

await main();
