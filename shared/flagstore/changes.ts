// One admin change end to end: check the document, check the whole snapshot it leads to, write, publish.
import { HTTPException } from "hono/http-exception";
import { canonicalJson, type FlagDoc } from "../flags/index.ts";
import type { SwitchboardNamespace } from "../switchboard/index.ts";
import { buildSnapshot, type Published, type PublishOptions, publishFrom } from "./publish.ts";
import {
  assertFlagKey,
  assertSegmentName,
  assertValidFlag,
  assertValidSegment,
  type FlagRow,
  type FlagStore,
  segmentKey,
} from "./store.ts";

export interface ChangeDeps {
  store: FlagStore;
  kv: KVNamespace;
  /** The switchboard every change is published to (KV alone without it). */
  board?: SwitchboardNamespace | undefined;
  actor: string;
  publish?: PublishOptions;
}

export interface ChangeResult {
  key: string;
  /** The stored document after the change; null once deleted. */
  doc: unknown;
  changed: boolean;
  /** The snapshot version now published. */
  version: string;
  /** Set when only KV (the fallback) could take the snapshot. */
  warning?: string;
}

/** Publishes after a write; the write stands even when publishing fails, so say how to finish the job. */
export async function publishAfterWrite(deps: ChangeDeps): Promise<Published> {
  try {
    return await publishFrom(deps.store, deps.kv, { ...deps.publish, board: deps.board, actor: deps.actor });
  } catch (error) {
    if (error instanceof HTTPException) throw error;
    throw new HTTPException(503, {
      message: `saved, but publishing the snapshot failed (${String(error)}); retry with: npm run flags -- publish`,
    });
  }
}

async function commit(deps: ChangeDeps, rows: FlagRow[], key: string, next: unknown): Promise<ChangeResult> {
  const prev = rows.find((r) => r.key === key) ?? null;
  const after = rows.filter((r) => r.key !== key);
  if (next !== null) after.push({ ...(prev ?? { updatedAt: "", updatedBy: "" }), key, doc: next });
  // The whole snapshot is checked before writing: a change that would make it unpublishable is refused.
  const built = await buildSnapshot(after);
  if (!built.ok) throw new HTTPException(400, { message: built.problems.join("; ") });
  let changed = true;
  if (next === null) {
    if (!(await deps.store.delete(key, deps.actor)))
      throw new HTTPException(404, { message: `no "${key}" stored` });
  } else if (prev && canonicalJson(prev.doc) === canonicalJson(next)) {
    changed = false;
  } else if (!(await deps.store.put(key, next, deps.actor, prev ? prev.doc : null))) {
    throw new HTTPException(409, {
      message: `"${key}" was changed by someone else meanwhile; check and retry`,
    });
  }
  return { key, doc: next, changed, ...(await publishAfterWrite(deps)) };
}

export interface ImportResult {
  created: string[];
  updated: string[];
  unchanged: string[];
  /** The snapshot version now published. */
  version: string;
  warning?: string;
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Many flags and segments at once (an import): every document and the whole resulting snapshot are checked before
 * anything is written; then each changed row is written with its audit row, and the snapshot is published once.
 * Segments are written first, so a failure part-way never leaves a flag pointing at a missing segment; running the
 * same import again finishes the job (unchanged rows are skipped).
 */
export async function importDocs(deps: ChangeDeps, body: unknown): Promise<ImportResult> {
  const flags = isObj(body) && isObj(body.flags) ? body.flags : null;
  const segs = isObj(body) && body.segments !== undefined ? body.segments : {};
  if (!flags || !isObj(segs))
    throw new HTTPException(400, { message: "body must be { flags: {…}, segments?: {…} }" });
  const incoming = [
    ...Object.entries(segs).map(([name, doc]) => {
      assertValidSegment(name, doc);
      return { key: segmentKey(name), doc };
    }),
    ...Object.entries(flags).map(([key, doc]) => {
      assertValidFlag(key, doc);
      return { key, doc };
    }),
  ];
  const rows = await deps.store.rows();
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const after = new Map(byKey);
  for (const { key, doc } of incoming)
    after.set(key, { ...(byKey.get(key) ?? { updatedAt: "", updatedBy: "" }), key, doc });
  const built = await buildSnapshot([...after.values()]);
  if (!built.ok) throw new HTTPException(400, { message: built.problems.join("; ") });
  const out: ImportResult = { created: [], updated: [], unchanged: [], version: "" };
  for (const { key, doc } of incoming) {
    const prev = byKey.get(key);
    if (prev && canonicalJson(prev.doc) === canonicalJson(doc)) {
      out.unchanged.push(key);
      continue;
    }
    await deps.store.put(key, doc, deps.actor);
    (prev ? out.updated : out.created).push(key);
  }
  return { ...out, ...(await publishAfterWrite(deps)) };
}

/** Create, replace or edit a flag: `edit` gets the stored document (null when new) and returns the next one. */
export async function changeFlag(
  deps: ChangeDeps,
  key: string,
  edit: (prev: FlagDoc | null) => unknown,
): Promise<ChangeResult> {
  assertFlagKey(key);
  const rows = await deps.store.rows();
  const prev = rows.find((r) => r.key === key);
  const next = edit(prev ? (prev.doc as FlagDoc) : null);
  assertValidFlag(key, next);
  return commit(deps, rows, key, next);
}

/**
 * Moves a flag to a new key. Buckets are hashed with the flag's group (its key unless `groupId` is set), so the
 * document keeps the old name as `groupId`: nobody changes rollout bucket or variant. Refused while other flags
 * require the old key or it has `old:…` children, which would silently lose their parent.
 */
export async function renameFlag(deps: ChangeDeps, from: string, to: string): Promise<ChangeResult> {
  assertFlagKey(from);
  assertFlagKey(to);
  const rows = await deps.store.rows();
  const prev = rows.find((r) => r.key === from);
  if (!prev) throw new HTTPException(404, { message: `no flag "${from}"` });
  if (rows.some((r) => r.key === to)) throw new HTTPException(409, { message: `"${to}" already exists` });
  const dependents = rows.filter(
    (r) => (r.doc as FlagDoc).requires?.some((d) => d.flag === from) || r.key.startsWith(`${from}:`),
  );
  if (dependents.length > 0) {
    throw new HTTPException(409, {
      message: `${dependents.map((r) => r.key).join(", ")} depend on "${from}" (requires or parent:child); change them first`,
    });
  }
  const prevDoc = prev.doc as FlagDoc;
  const doc: FlagDoc = { ...prevDoc, groupId: prevDoc.groupId ?? from };
  const after = [...rows.filter((r) => r.key !== from), { ...prev, key: to, doc }];
  const built = await buildSnapshot(after);
  if (!built.ok) throw new HTTPException(400, { message: built.problems.join("; ") });
  if (!(await deps.store.put(to, doc, deps.actor, null)))
    throw new HTTPException(409, {
      message: `"${to}" was created by someone else meanwhile; check and retry`,
    });
  await deps.store.delete(from, deps.actor);
  return { key: to, doc, changed: true, ...(await publishAfterWrite(deps)) };
}

export async function removeFlag(deps: ChangeDeps, key: string): Promise<ChangeResult> {
  assertFlagKey(key);
  return commit(deps, await deps.store.rows(), key, null);
}

export async function changeSegment(deps: ChangeDeps, name: string, doc: unknown): Promise<ChangeResult> {
  assertValidSegment(name, doc);
  return commit(deps, await deps.store.rows(), segmentKey(name), doc);
}

/** Refused (400) while a flag still references the segment. */
export async function removeSegment(deps: ChangeDeps, name: string): Promise<ChangeResult> {
  assertSegmentName(name);
  return commit(deps, await deps.store.rows(), segmentKey(name), null);
}
