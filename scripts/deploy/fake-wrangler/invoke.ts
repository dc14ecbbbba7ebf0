// The fake wrangler's answer to one call (argv, working directory, environment, stdin), as a process would give it.
import { homedir } from "node:os";
import { join } from "node:path";
import { kv, queues, r2, whoami } from "./account.ts";
import { parseArgs } from "./args.ts";
import { readConfig, requireConfig } from "./config.ts";
import { deploy, versionsUpload } from "./deploy.ts";
import { within } from "./invocation.ts";
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

export interface Call {
  argv: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  stdin: string;
}

/** What wrangler would print and exit with; synchronous, so in-process calls never interleave. */
export function invoke(call: Call): { code: number; stdout: string; stderr: string } {
  const dir = call.env.FAKE_WRANGLER_STATE;
  if (!dir)
    return {
      code: 2,
      stdout: "",
      stderr: "fake wrangler: set FAKE_WRANGLER_STATE to a directory for its account state\n",
    };
  return within({ cwd: call.cwd, env: call.env }, () => {
    const state = State.load(dir);
    const out = new Out();
    const stamp = new Date()
      .toISOString()
      .replace("T", "_")
      .replace(/:/g, "-")
      .replace(".", "_")
      .slice(0, 23);
    out.logPath = join(homedir(), ".config/.wrangler/logs", `wrangler-${stamp}.log`);
    writeSession(call.argv, out.logPath);
    let code: number;
    try {
      code = run(call.argv, state, out, call.stdin);
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
    const env = call.env.CLOUDFLARE_ENV ?? null;
    state.record({ argv: call.argv, cwd: call.cwd, env, stdin: call.stdin, exit: code });
    return { code, stdout: out.stdout, stderr: out.stderr };
  });
}
