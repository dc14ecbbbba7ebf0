// Pure parsing of a drained counter hash (as @upstash/redis returns it) into id → count, plus its batch id.

export const BATCH_FIELD = "__batch";

export interface DrainedCounts {
  counts: Map<string, number>;
  /** Stable across retries of the same batch, so a flush can be made idempotent in the database. */
  batchId: string | null;
}

/** Values arrive as numbers (automatic deserialization) or numeric strings; zero and junk fields are skipped. */
export function parseCounts(hash: Record<string, unknown> | null): DrainedCounts {
  const counts = new Map<string, number>();
  let batchId: string | null = null;
  for (const [field, raw] of Object.entries(hash ?? {})) {
    if (field === BATCH_FIELD) {
      batchId = String(raw);
      continue;
    }
    const n = typeof raw === "number" ? raw : typeof raw === "string" ? Number(raw) : Number.NaN;
    if (Number.isSafeInteger(n) && n !== 0) counts.set(field, n);
  }
  return { counts, batchId };
}

export function totalOf(counts: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const n of counts.values()) total += n;
  return total;
}
