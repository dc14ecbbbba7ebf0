// Test doubles: the shared in-memory KV namespace and a FlagStore with the same semantics as the Postgres one.
import { canonicalJson } from "../flags/index.ts";
import type { AuditEntry, FlagRow, FlagStore } from "../flagstore/index.ts";

export type MemoryFlagStore = FlagStore & { data: Map<string, FlagRow>; log: AuditEntry[] };

export function memoryFlagStore(rows: Record<string, unknown> = {}): MemoryFlagStore {
  const at = "2026-01-01T00:00:00.000Z";
  const data = new Map<string, FlagRow>(
    Object.entries(rows).map(([key, doc]) => [key, { key, doc, updatedAt: at, updatedBy: "seed" }]),
  );
  const log: AuditEntry[] = [];
  const audit = (key: string, actor: string, before: unknown, after: unknown) =>
    log.push({ id: log.length + 1, key, actor, before, after, at: new Date().toISOString() });
  return {
    data,
    log,
    rows: async () =>
      [...data.values()].sort((a, b) => (a.key < b.key ? -1 : 1)).map((r) => structuredClone(r)),
    get: async (key) => structuredClone(data.get(key) ?? null),
    async put(key, doc, actor, expect) {
      const prev = data.get(key);
      if (expect === null && prev) return false;
      if (expect != null && (!prev || canonicalJson(prev.doc) !== canonicalJson(expect))) return false;
      data.set(key, {
        key,
        doc: structuredClone(doc),
        updatedAt: new Date().toISOString(),
        updatedBy: actor,
      });
      audit(key, actor, prev?.doc ?? null, doc);
      return true;
    },
    async delete(key, actor) {
      const prev = data.get(key);
      if (!prev) return false;
      data.delete(key);
      audit(key, actor, prev.doc, null);
      return true;
    },
    audit: async (key, limit) =>
      log
        .filter((e) => key === undefined || e.key === key)
        .reverse()
        .slice(0, limit),
  };
}
