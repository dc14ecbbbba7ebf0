// Keeping the facet sets: whole sets replaced atomically (rebuilds, small sets after a write), single documents
// moved between sets (a write that changes one document's facets), and the rebuild from the database.
import { READY_MEMBER } from "./narrow.ts";

/** The part of an @upstash/redis MULTI transaction used here. */
export interface SetTx {
  del(...keys: string[]): SetTx;
  sadd(key: string, member: string, ...members: string[]): SetTx;
  srem(key: string, ...members: string[]): SetTx;
  exec(): Promise<unknown>;
}

/** The part of @upstash/redis's `Redis` used here; a real `Redis` instance satisfies it. */
export interface SetWriter {
  multi(): SetTx;
  scan(cursor: string | number, opts: { match: string; count: number }): Promise<[string | number, string[]]>;
  del(...keys: string[]): Promise<number>;
}

export type FacetSet = { readonly key: string; readonly members: readonly string[] };

const CHUNK = 1_000;

/** One MULTI: readers see each set before or after, never half-written. Every set gets the ready marker. */
export async function replaceSets(redis: SetWriter, sets: readonly FacetSet[]): Promise<void> {
  if (sets.length === 0) return;
  const tx = redis.multi();
  for (const { key, members } of sets) {
    tx.del(key);
    tx.sadd(key, READY_MEMBER);
    for (let i = 0; i < members.length; i += CHUNK) {
      const [first, ...more] = members.slice(i, i + CHUNK);
      if (first !== undefined) tx.sadd(key, first, ...more);
    }
  }
  await tx.exec();
}

/**
 * One MULTI: `member` joins the sets in `into` and leaves those in `outOf`. Both come from the document's state
 * as the database has it now, so a repeat (or a job run twice) changes nothing. A set that did not exist is
 * created without the ready marker, so it is not trusted until a rebuild writes it whole.
 */
export async function moveMember(
  redis: SetWriter,
  member: string,
  into: readonly string[],
  outOf: readonly string[],
): Promise<void> {
  if (into.length === 0 && outOf.length === 0) return;
  const tx = redis.multi();
  for (const key of into) tx.sadd(key, member);
  for (const key of outOf) tx.srem(key, member);
  await tx.exec();
}

/** Where a rebuild reads the truth: the facets, each facet's values now, and their members. */
export interface FacetSource {
  readonly facets: readonly string[];
  values(facet: string): Promise<string[]>;
  /** For each value, its set's key and members (values with no members may be left out). */
  sets(facet: string, values: readonly string[]): Promise<FacetSet[]>;
  /** The key every value of every facet lives under, for finding sets no value owns any more. */
  readonly prefix: string;
}

export type RebuildReport = { sets: number; members: number; deleted: number };

/**
 * Rewrites every set from the source, `batch` values at a time, then deletes sets under the prefix that no
 * value owns any more. Readers keep using the old sets (each replaced atomically) while it runs.
 */
export async function rebuildFacetSets(
  source: FacetSource,
  redis: SetWriter,
  opts: { batch?: number; progress?: (line: string) => void } = {},
): Promise<RebuildReport> {
  const batch = opts.batch ?? 100;
  const report = { sets: 0, members: 0, deleted: 0 };
  const keep = new Set<string>();
  for (const facet of source.facets) {
    const values = await source.values(facet);
    let members = 0;
    for (let i = 0; i < values.length; i += batch) {
      const sets = await source.sets(facet, values.slice(i, i + batch));
      await replaceSets(redis, sets);
      for (const s of sets) {
        keep.add(s.key);
        members += s.members.length;
      }
      report.sets += sets.length;
    }
    report.members += members;
    opts.progress?.(`${facet}: ${values.length} sets, ${members} members`);
  }
  report.deleted = await deleteStale(redis, source.prefix, keep);
  return report;
}

async function deleteStale(redis: SetWriter, prefix: string, keep: ReadonlySet<string>): Promise<number> {
  let cursor: string | number = 0;
  let deleted = 0;
  do {
    const [next, keys]: [string | number, string[]] = await redis.scan(cursor, {
      match: `${prefix}*`,
      count: 1_000,
    });
    const stale = keys.filter((k) => !keep.has(k));
    if (stale.length > 0) deleted += await redis.del(...stale);
    cursor = next;
  } while (String(cursor) !== "0");
  return deleted;
}
