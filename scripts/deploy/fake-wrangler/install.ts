// Puts the fake wrangler on a PATH for a test: built once to plain JavaScript (no per-call type stripping), a
// `wrangler` shim in a bin folder, its own account state, and readers for what it recorded.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { stripTypeScriptTypes } from "node:module";
import { delimiter, join, resolve } from "node:path";
import type { Account } from "./state.ts";

const source = import.meta.dirname;
const root = resolve(source, "../../..");
let built: string | null = null;

/** `.build/fake-wrangler/main.mjs`, inside the project so `smol-toml` resolves from node_modules. */
export function buildFake(): string {
  if (built) return built;
  const files = readdirSync(source)
    .filter((n) => n.endsWith(".ts") && !n.endsWith(".test.ts") && n !== "install.ts")
    .sort();
  const texts = files.map((f) => readFileSync(join(source, f), "utf8"));
  const hash = createHash("sha1").update(texts.join("\0")).digest("hex").slice(0, 12);
  const out = join(root, ".build", "fake-wrangler", hash);
  if (!existsSync(join(out, "main.mjs"))) {
    // Written aside and renamed, so parallel test files never run a half-written copy.
    const tmp = `${out}.${process.pid}`;
    mkdirSync(tmp, { recursive: true });
    files.forEach((f, i) => {
      const js = stripTypeScriptTypes(texts[i] ?? "").replace(/(from "\.\/[\w-]+)\.ts"/g, '$1.mjs"');
      writeFileSync(join(tmp, f.replace(/\.ts$/, ".mjs")), js);
    });
    try {
      renameSync(tmp, out);
    } catch {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  built = join(out, "main.mjs");
  return built;
}

export interface Call {
  argv: string[];
  cwd: string;
  stdin: string;
  exit: number;
}

export interface FakeWrangler {
  /** Environment for a child process (or this one): the fake first on PATH, a token, the state folder. */
  env: NodeJS.ProcessEnv;
  calls(): Call[];
  account(): Account;
  setAccount(change: (a: Account) => void): void;
}

export function installFakeWrangler(dir: string, options: { loggedIn?: boolean } = {}): FakeWrangler {
  const main = buildFake();
  const bin = join(dir, "bin");
  const state = join(dir, "state");
  mkdirSync(bin, { recursive: true });
  mkdirSync(state, { recursive: true });
  writeFileSync(join(bin, "wrangler"), `#!/bin/sh\nexec "${process.execPath}" "${main}" "$@"\n`);
  chmodSync(join(bin, "wrangler"), 0o755);
  writeFileSync(join(bin, "wrangler.cmd"), `@"${process.execPath}" "${main}" %*\r\n`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${bin}${delimiter}${process.env.PATH ?? ""}`,
    FAKE_WRANGLER_STATE: state,
    CLOUDFLARE_ACCOUNT_ID: "acc123",
  };
  if (options.loggedIn !== false) env.CLOUDFLARE_API_TOKEN = "fake-token";
  else delete env.CLOUDFLARE_API_TOKEN;
  delete env.CLOUDFLARE_ENV;
  const stateFile = join(state, "state.json");
  const callsFile = join(state, "calls.ndjson");
  return {
    env,
    calls: () =>
      existsSync(callsFile)
        ? readFileSync(callsFile, "utf8")
            .trim()
            .split("\n")
            .filter(Boolean)
            .map((l) => JSON.parse(l) as Call)
        : [],
    account: () => JSON.parse(readFileSync(stateFile, "utf8")) as Account,
    setAccount(change) {
      const a = existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, "utf8")) as Account) : null;
      if (!a) throw new Error("the fake has no account yet: run a command first, or use seedAccount");
      change(a);
      writeFileSync(stateFile, JSON.stringify(a));
    },
  };
}

/** Runs the fake directly (for its own tests); resolves with what a shell would see. */
export function runFake(
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; input?: string },
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [buildFake(), ...args], { cwd: opts.cwd, env: opts.env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => {
      stdout += b.toString();
    });
    child.stderr.on("data", (b: Buffer) => {
      stderr += b.toString();
    });
    child.on("error", fail);
    child.on("close", (status) => done({ status, stdout, stderr }));
    child.stdin.end(opts.input ?? "");
  });
}
