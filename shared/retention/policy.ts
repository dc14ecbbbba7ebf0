// What is kept how long (pure): the retention windows, parsed from config, and the rows each one expires.

/** Days kept, per kind of record. Sessions and codes count from their expiry, everything else from its time. */
export const DEFAULT_RETENTION_DAYS = {
  exposures: 90,
  flag_audit: 365,
  job_ledger: 30,
  dead_jobs: 30,
  error_groups: 90,
  sessions: 7,
  signin_codes: 1,
  dev_mailbox: 7,
} as const;

export type RetentionKind = keyof typeof DEFAULT_RETENTION_DAYS;
export type RetentionDays = Record<RetentionKind, number>;

/** The table and the timestamp column each kind expires by (fixed here, never from input: they become SQL). */
export const RETENTION_TARGETS: Record<RetentionKind, { table: string; column: string }> = {
  exposures: { table: "exposures", column: "first_seen" },
  flag_audit: { table: "flag_audit", column: "at" },
  job_ledger: { table: "job_ledger", column: "completed_at" },
  dead_jobs: { table: "dead_jobs", column: "failed_at" },
  error_groups: { table: "error_groups", column: "last_seen" },
  sessions: { table: "sessions", column: "expires_at" },
  signin_codes: { table: "signin_codes", column: "expires_at" },
  dev_mailbox: { table: "dev_mailbox", column: "created_at" },
};

const isKind = (k: string): k is RetentionKind => Object.hasOwn(DEFAULT_RETENTION_DAYS, k);

/**
 * `"exposures=30,dead_jobs=14"` over the defaults; `0` keeps a kind forever. An unknown kind or a bad number is an
 * error that names it (a typo must not silently keep or delete data).
 */
export function parseRetention(spec: string): RetentionDays | string {
  const days: RetentionDays = { ...DEFAULT_RETENTION_DAYS };
  for (const part of spec.split(",").map((p) => p.trim())) {
    if (part === "") continue;
    const [kind = "", value = ""] = part.split("=").map((s) => s.trim());
    if (!isKind(kind)) return `unknown retention kind "${kind}" (known: ${Object.keys(days).join(", ")})`;
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n))
      return `retention for ${kind} must be whole days, not "${value}"`;
    days[kind] = n;
  }
  return days;
}

export type PruneTarget = { kind: RetentionKind; table: string; column: string; days: number };

/** The kinds to prune, in a fixed order; kinds kept forever are left out. */
export function pruneTargets(days: RetentionDays): PruneTarget[] {
  return (Object.keys(RETENTION_TARGETS) as RetentionKind[])
    .filter((kind) => days[kind] > 0)
    .map((kind) => ({ kind, ...RETENTION_TARGETS[kind], days: days[kind] }));
}
