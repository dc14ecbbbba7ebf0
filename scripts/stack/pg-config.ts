// Pure renderers for the local Postgres cluster: config lines, pg_hba, server flags, URLs, lock-file parsing.
import { SITE, SITE_IDENT } from "../../shared/site/index.ts";

export const PG_USER = "postgres";
export const PG_PASSWORD = "postgres";
export const PG_DATABASE = SITE_IDENT;
/** Shows up in pg_stat_replication, so the primary can tell when *our* replica streams. */
export const REPLICA_APP_NAME = `${SITE_IDENT}_replica`;

/** Appended to the primary's postgresql.conf before the cold copy, so the replica inherits it. */
export function clusterConf(): string {
  return [
    "",
    `# ${SITE.name} local stack`,
    "wal_level = replica",
    "max_wal_senders = 10",
    // The replica may be down for a while in tests; keep enough WAL for it to catch up without a slot.
    "wal_keep_size = '256MB'",
    "hot_standby = on",
    // Fewer 'canceling statement due to conflict with recovery' errors on replica reads.
    "hot_standby_feedback = on",
    // Throwaway dev data: skipping fsync makes commits and initdb fast; a killed process loses nothing
    // (only an OS crash could), and the data can always be rebuilt.
    "fsync = off",
    "full_page_writes = off",
    "max_connections = 200",
    "lc_messages = 'C'",
    "",
  ].join("\n");
}

/**
 * trust, not scram: the cluster listens on loopback only and holds throwaway data, and the Neon driver
 * over WebSocket computes SCRAM in JS on every new connection (tens of ms per request in workerd).
 * The postgres user still has password "postgres", so switching to scram-sha-256 is a one-word change.
 */
export function hbaConf(): string {
  return [
    `# ${SITE.name} local stack: loopback only`,
    "host all all 127.0.0.1/32 trust",
    "host all all ::1/128 trust",
    "host replication all 127.0.0.1/32 trust",
    "host replication all ::1/128 trust",
    "",
  ].join("\n");
}

export type ReplicaFlags = { primaryPort: number; applyDelayMs: number };

/** Per-start settings go on the command line, so ports and apply delay can change between runs. */
export function serverArgs(dataDir: string, port: number, replica?: ReplicaFlags): string[] {
  const args = ["-D", dataDir, "-p", String(port), "-c", "listen_addresses=127.0.0.1"];
  // No unix sockets: nothing here uses them, and root-owned /tmp sockets trip up other local Postgres installs.
  args.push("-c", "unix_socket_directories=");
  if (replica) {
    const conninfo = `host=127.0.0.1 port=${replica.primaryPort} user=${PG_USER} application_name=${REPLICA_APP_NAME}`;
    args.push("-c", `primary_conninfo=${conninfo}`);
    args.push("-c", `recovery_min_apply_delay=${Math.max(0, Math.round(replica.applyDelayMs))}ms`);
  }
  return args;
}

export function pgUrl(port: number, database: string = PG_DATABASE): string {
  return `postgresql://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${port}/${database}`;
}

/** postmaster.pid: line 1 is the pid, line 2 the data directory. */
export function parsePostmasterPid(text: string): { pid: number; dataDir: string } | undefined {
  const [pidLine, dirLine] = text.split("\n");
  const pid = Number(pidLine?.trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return { pid, dataDir: dirLine?.trim() ?? "" };
}

/** Turns a postgres stderr line into the reason a start failed, naming the port when it is taken. */
export function startFailureReason(logTail: string, port: number): string {
  if (/could not bind|Address already in use/i.test(logTail)) return `port ${port} is already in use`;
  if (/lock file .* already exists/i.test(logTail))
    return "another postgres is running on this data directory";
  return "postgres exited before it was ready";
}
