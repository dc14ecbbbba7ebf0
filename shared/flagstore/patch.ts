// The PATCH format for quick edits (`{ tags: ["staff"] }`, `{ percentage: 25 }`) and how it maps onto a rule document.
import { HTTPException } from "hono/http-exception";
import * as z from "zod/mini";
import type { Condition, Dependency, FlagDoc, FlagState, Stickiness, Variant } from "../flags/index.ts";

/** Target kinds a patch can set, and the condition each becomes. */
export const TARGETS = {
  users: { type: "users", field: "ids" },
  tags: { type: "tags", field: "tags" },
  tenants: { type: "tenants", field: "ids" },
  countries: { type: "country", field: "countries" },
  ips: { type: "ip", field: "cidrs" },
  hosts: { type: "host", field: "hosts" },
} as const;
export type TargetKind = keyof typeof TARGETS | "segments";
export type Targets = Partial<Record<TargetKind, string[] | null>>;

const list = z.optional(z.nullable(z.array(z.string()).check(z.maxLength(10_000))));
const targetShape = {
  users: list,
  tags: list,
  tenants: list,
  countries: list,
  ips: list,
  hosts: list,
  segments: list,
};
// default, random or a field (userId, prop:plan…): the flag validator checks it and says what is allowed.
const stickiness = z.string().check(z.minLength(1), z.maxLength(200));

// Strict, so a typo such as `percent` is a 400 rather than silently ignored.
export const flagPatchSchema = z.strictObject({
  state: z.optional(z.enum(["off", "on", "selective"])),
  description: z.optional(z.nullable(z.string().check(z.maxLength(500)))),
  ...targetShape,
  percentage: z.optional(z.nullable(z.number().check(z.gte(0), z.lte(100)))),
  stickiness: z.optional(stickiness),
  exclude: z.optional(z.strictObject(targetShape)),
  replaceIncludes: z.optional(z.boolean()),
  // Shapes inside are left to the flag validator, whose messages are more precise.
  variants: z.optional(z.nullable(z.array(z.record(z.string(), z.unknown())))),
  variantStickiness: z.optional(stickiness),
  cacheKey: z.optional(z.boolean()),
  requires: z.optional(z.nullable(z.array(z.record(z.string(), z.unknown())))),
});

/**
 * Each target kind replaces that kind's condition ([] or null removes it), other kinds are kept;
 * `exclude` does the same for exclusions; `replaceIncludes` first drops every include condition
 * (how `on <key> --tag staff` means "on for exactly these"). Without `state`, adding include targets
 * turns a new or everyone-on flag selective; an off flag stays off (staged until switched on).
 */
export type FlagPatch = Targets & {
  state?: FlagState;
  description?: string | null;
  percentage?: number | null;
  stickiness?: Stickiness;
  exclude?: Targets;
  replaceIncludes?: boolean;
  variants?: Variant[] | null;
  variantStickiness?: Stickiness;
  cacheKey?: boolean;
  requires?: Dependency[] | null;
};

export function parsePatch(body: unknown): FlagPatch {
  const parsed = flagPatchSchema.safeParse(body);
  if (parsed.success) return parsed.data as FlagPatch;
  const detail = parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
  throw new HTTPException(400, { message: `Invalid flag patch: ${detail}` });
}

const KINDS = [...(Object.keys(TARGETS) as (keyof typeof TARGETS)[]), "segments"] as const;
const touchesIncludes = (p: FlagPatch): boolean =>
  p.replaceIncludes === true || p.percentage !== undefined || KINDS.some((k) => p[k] !== undefined);

/** The condition(s) for one target kind (segments: one condition per name). */
export function targetConditions(kind: TargetKind, values: string[], exclude: boolean): Condition[] {
  const ex = exclude ? { exclude: true } : {};
  if (kind === "segments") return values.map((segment) => ({ type: "segment", segment, ...ex }));
  const { type, field } = TARGETS[kind];
  return [{ type, [field]: values, ...ex } as Condition];
}

const typeOf = (kind: TargetKind): string => (kind === "segments" ? "segment" : TARGETS[kind].type);

/** Replaces the top-level conditions of one kind (includes or exclusions), keeping everything else in order. */
function setKind(
  conds: Condition[],
  kind: TargetKind,
  values: string[] | null,
  exclude: boolean,
): Condition[] {
  const same = (c: Condition) => c.type === typeOf(kind) && (c.exclude === true) === exclude;
  const at = conds.findIndex(same);
  const kept = conds.filter((c) => !same(c));
  if (!values || values.length === 0) return kept;
  // Targeted people go before any percentage, so they are matched as TARGETING_MATCH, not SPLIT.
  const pct = kept.findIndex((c) => c.type === "percentage" && !c.exclude);
  const pos = at >= 0 ? Math.min(at, kept.length) : exclude || pct < 0 ? kept.length : pct;
  return [...kept.slice(0, pos), ...targetConditions(kind, values, exclude), ...kept.slice(pos)];
}

type Percentage = Extract<Condition, { type: "percentage" }>;

function setPercentage(conds: Condition[], p: FlagPatch): Condition[] | string {
  const isPct = (c: Condition): c is Percentage & Condition => c.type === "percentage" && !c.exclude;
  const others = conds.filter((c) => !isPct(c));
  if (p.percentage === null) return others;
  const old = conds.find(isPct);
  const sticky = p.stickiness ? { stickiness: p.stickiness } : {};
  if (p.percentage === undefined)
    return old ? [...others, { ...old, ...sticky }] : "stickiness needs a percentage";
  // groupId and stickiness are kept, so raising 25 → 50 keeps the first 25 % in (Unleash buckets are stable).
  const { range: _range, percentage: _percentage, ...rest } = old ?? { type: "percentage" as const };
  return [...others, { ...rest, percentage: p.percentage, ...sticky }];
}

/** The document after the patch, or the reason it cannot apply. Pure; validate the result before storing. */
export function applyPatch(prev: FlagDoc | null, patch: FlagPatch): { doc: FlagDoc } | { error: string } {
  const doc: FlagDoc = structuredClone(prev ?? { state: "off" });
  let conds = patch.replaceIncludes
    ? (doc.conditions ?? []).filter((c) => c.exclude === true)
    : (doc.conditions ?? []);
  for (const kind of KINDS)
    if (patch[kind] !== undefined) conds = setKind(conds, kind, patch[kind] ?? null, false);
  for (const kind of KINDS) {
    const values = patch.exclude?.[kind];
    if (values !== undefined) conds = setKind(conds, kind, values, true);
  }
  if (patch.percentage !== undefined || patch.stickiness !== undefined) {
    const next = setPercentage(conds, patch);
    if (typeof next === "string") return { error: next };
    conds = next;
  }
  if (conds.length > 0) doc.conditions = conds;
  else delete doc.conditions;

  if (patch.state) doc.state = patch.state;
  else if (touchesIncludes(patch) && (prev === null || prev.state === "on")) doc.state = "selective";
  if (patch.description === null) delete doc.description;
  else if (patch.description !== undefined) doc.description = patch.description;
  if (patch.variants === null || patch.variants?.length === 0) delete doc.variants;
  else if (patch.variants) doc.variants = patch.variants;
  if (patch.variantStickiness) doc.variantStickiness = patch.variantStickiness;
  if (patch.cacheKey === false) delete doc.cacheKey;
  else if (patch.cacheKey) doc.cacheKey = true;
  if (patch.requires === null || patch.requires?.length === 0) delete doc.requires;
  else if (patch.requires) doc.requires = patch.requires;
  return { doc };
}
