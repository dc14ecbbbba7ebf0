// One-line human summaries of rule documents, for the admin listing and the CLI's tables.
import type { Condition, FlagDoc, Segment } from "../flags/index.ts";

const few = (xs: readonly string[], n = 3): string =>
  xs.length <= n ? xs.join(",") : `${xs.slice(0, n).join(",")},…(+${xs.length - n})`;

export function describeCondition(c: Condition): string {
  const served = c.variants?.length ? ` → variants ${c.variants.map((v) => v.name).join(",")}` : "";
  return describeTest(c) + served;
}

function describeTest(c: Condition): string {
  const not = c.exclude ? "not " : "";
  switch (c.type) {
    case "users":
      return `${not}users ${few(c.ids)}`;
    case "tags":
      return `${not}tags ${few(c.tags)}`;
    case "tenants":
      return `${not}tenants ${few(c.ids)}`;
    case "country":
      return `${not}country ${few(c.countries)}`;
    case "ip":
      return `${not}ip ${few(c.cidrs)}`;
    case "host":
      return `${not}host ${few(c.hosts)}`;
    case "percentage": {
      const pct = c.range ? `${c.range[0]}-${c.range[1]}%` : `${c.percentage ?? 0}%`;
      return `${not}${pct}${c.stickiness && c.stickiness !== "default" ? ` by ${c.stickiness}` : ""}`;
    }
    case "segment":
      return `${not}segment ${c.segment}`;
    case "header":
    case "cookie":
      return `${not}${c.type} ${c.name} ${c.operator}`;
    case "constraint":
      return `${not}${c.field} ${c.operator}`;
    case "time":
      return `${not}time ${c.from ?? "…"}→${c.until ?? "…"}`;
    case "all":
      return `${not}(${c.conditions.map(describeCondition).join(" and ")})`;
  }
}

/** e.g. `tags staff | 25% | not country FR | variants control:50,bold:50 | cache-key | requires checkout`. */
export function describeFlag(doc: FlagDoc): string {
  const parts: string[] = [];
  // Conditions are shown for on/off flags too: they apply again once the flag is made selective.
  const conds = doc.conditions ?? [];
  if (doc.state === "selective" && conds.every((c) => c.exclude)) parts.push("nobody matches (no include)");
  parts.push(...conds.map(describeCondition));
  if (doc.variants?.length)
    parts.push(`variants ${doc.variants.map((v) => `${v.name}:${v.weight}`).join(",")}`);
  if (doc.cacheKey) parts.push("cache-key");
  if (doc.requires?.length) parts.push(`requires ${doc.requires.map((r) => r.flag).join(",")}`);
  return parts.join(" | ");
}

export function describeSegment(seg: Segment): string {
  return seg.conditions.map(describeCondition).join(" and ");
}
