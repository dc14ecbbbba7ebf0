// The console's flag form: a document shown as fields, and fields read back as the admin API's patch.
import type { Condition, FlagDoc, Variant } from "../flags/index.ts";
import type { FlagPatch } from "../flagstore/index.ts";

/** The text fields of the form (what a browser posts), all optional. */
export interface FlagFields {
  description?: string;
  users?: string;
  tags?: string;
  tenants?: string;
  percentage?: string;
  variants?: string;
  cacheKey?: string;
}

const TARGET_FIELDS = ["users", "tags", "tenants"] as const;

/** "a, b  c" → ["a", "b", "c"]: commas or spaces separate. */
export function splitList(text: string | undefined): string[] {
  return (text ?? "")
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function include(doc: FlagDoc, type: Condition["type"]): Condition | undefined {
  return (doc.conditions ?? []).find((c) => c.type === type && !c.exclude);
}

/** A stored document as the form's initial values. */
export function fieldsOf(doc: FlagDoc): Required<FlagFields> {
  const ids = (type: "users" | "tenants") => {
    const c = include(doc, type);
    return c && "ids" in c ? c.ids.join(", ") : "";
  };
  const tags = include(doc, "tags");
  const pct = include(doc, "percentage");
  return {
    description: doc.description ?? "",
    users: ids("users"),
    tags: tags && "tags" in tags ? tags.tags.join(", ") : "",
    tenants: ids("tenants"),
    percentage: pct && "percentage" in pct && pct.percentage !== undefined ? String(pct.percentage) : "",
    variants: (doc.variants ?? []).map((v) => `${v.name}:${v.weight}`).join(", "),
    cacheKey: doc.cacheKey ? "on" : "",
  };
}

/**
 * The patch the form asks for, or what is wrong with what was typed. Everything the form has no field for
 * (exclusions, constraints, segments, payloads, overrides) is kept: a variant named again keeps its payload.
 */
export function patchFromFields(
  fields: FlagFields,
  prev: FlagDoc | null,
): { patch: FlagPatch } | { errors: string[] } {
  const errors: string[] = [];
  const patch: FlagPatch = {};
  const description = fields.description?.trim() ?? "";
  patch.description = description === "" ? null : description;
  for (const field of TARGET_FIELDS) {
    const values = splitList(fields[field]);
    patch[field] = values.length > 0 ? values : null;
  }
  const pct = fields.percentage?.trim() ?? "";
  if (pct === "") patch.percentage = null;
  else if (!/^\d+(\.\d+)?$/.test(pct) || Number(pct) > 100)
    errors.push(`percentage: "${pct}" is not a number from 0 to 100`);
  else patch.percentage = Number(pct);
  const variants: Variant[] = [];
  for (const part of splitList(fields.variants)) {
    const m = /^([^:]+):(\d+)$/.exec(part);
    if (!m?.[1] || m[2] === undefined) {
      errors.push(`variants: "${part}" is not name:weight (e.g. control:50, bold:50)`);
      continue;
    }
    const old = prev?.variants?.find((v) => v.name === m[1]);
    variants.push({ ...(old ?? {}), name: m[1], weight: Number(m[2]) });
  }
  patch.variants = variants.length > 0 ? variants : null;
  patch.cacheKey = fields.cacheKey === "on";
  return errors.length > 0 ? { errors } : { patch };
}

/** What sort of flag this is, for the list: an experiment, a rollout, targeted, or a plain switch. */
export function flagKind(doc: FlagDoc): string {
  if (doc.variants?.length) return `experiment (${doc.variants.length} variants)`;
  const pct = include(doc, "percentage");
  if (pct && "percentage" in pct) return `rollout ${pct.percentage ?? 0} %`;
  if ((doc.conditions ?? []).length > 0) return "targeted";
  return "switch";
}
