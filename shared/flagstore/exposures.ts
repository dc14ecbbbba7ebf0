// Records who saw which experiment variant: one INSERT … ON CONFLICT DO NOTHING per request, in the background.

import { exposures } from "../db/index.ts";
import type { Exposure } from "../flags/index.ts";
import { log } from "../log/index.ts";
import type { PgDb } from "./repo.ts";

export type ExposureInput = Pick<Exposure, "flag" | "variant" | "subject">;
export type ExposureRow = { flag: string; variant: string; subject: string };

/** One request shows at most a handful of experiments; more means a bug, which must not become a huge INSERT. */
export const MAX_EXPOSURES_PER_BATCH = 100;

/** Rows worth writing: with a subject, short enough, each (flag, subject) once, the first variant seen winning. */
export function exposureRows(input: readonly ExposureInput[]): ExposureRow[] {
  const seen = new Set<string>();
  const out: ExposureRow[] = [];
  for (const e of input) {
    if (!e.subject || e.subject.length > 200 || e.flag.length > 600 || e.variant.length > 64) continue;
    const id = `${e.flag}\n${e.subject}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ flag: e.flag, variant: e.variant, subject: e.subject });
    if (out.length === MAX_EXPOSURES_PER_BATCH) break;
  }
  return out;
}

/**
 * Call inside `ctx.waitUntil(...)`: never rejects (a lost exposure must not fail anything) and returns how
 * many rows were sent. The first exposure of a subject to a flag is kept; repeats are no-ops in Postgres.
 */
export async function recordExposures(db: PgDb, input: readonly ExposureInput[]): Promise<number> {
  const rows = exposureRows(input);
  if (rows.length === 0) return 0;
  try {
    await db
      .insert(exposures)
      .values(rows)
      .onConflictDoNothing({ target: [exposures.flag, exposures.subject] });
    return rows.length;
  } catch (error) {
    log.warn("exposures not recorded", { rows: rows.length, error });
    return 0;
  }
}

/** Collects a request's exposures (pass `add` as createFlags' onExposure) for one recordExposures call later. */
export function exposureCollector(): { add: (e: ExposureInput) => void; rows: ExposureInput[] } {
  const rows: ExposureInput[] = [];
  return { add: (e) => void rows.push(e), rows };
}
