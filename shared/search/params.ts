// One canonical query string per distinct search: the edge keys its cache on it and the origin reads only it, so
// case, spacing, facet order, junk values and ignored parameters can neither split the cache nor change a page.
import { parseSearch, renderSearch } from "./query.ts";

/** How a facet value is recognised: a pattern, an optional further check, and case folding (on by default). */
type ValueRule = {
  readonly pattern: RegExp;
  readonly check?: (value: string) => boolean;
  /** false for values matched exactly as stored (names), true for values that are lower-case by nature (slugs). */
  readonly fold?: boolean;
};

export type SearchField =
  /** What was typed: parsed and rendered canonically (see query.ts). */
  | { readonly kind: "text" }
  /** Repeatable (`topic=a&topic=b` or `topic=a,b`), all must match: sorted, deduplicated, at most `max`. */
  | ({ readonly kind: "set"; readonly max: number } & ValueRule)
  /** One value (the first valid one); `fallback` is the value meant when it is absent, so it is left out. */
  | ({ readonly kind: "single"; readonly fallback?: string } & ValueRule)
  /** On or absent. `personal`: about the signed-in visitor, so never part of a shared (cached) page. */
  | { readonly kind: "flag"; readonly personal?: boolean };

export type SearchSpec = Readonly<Record<string, SearchField>>;

export type SearchValues = {
  readonly text: Readonly<Record<string, string>>;
  readonly sets: Readonly<Record<string, readonly string[]>>;
  readonly singles: Readonly<Record<string, string>>;
  readonly flags: ReadonlySet<string>;
};

const ON = new Set(["1", "on", "true", "yes"]);
// Values never need more: slugs, dates, page numbers. Longer ones are junk, not a distinct page.
const MAX_VALUE = 100;

function clean(value: string, rule: ValueRule): string | null {
  const v = rule.fold === false ? value.trim() : value.trim().toLowerCase();
  return v.length <= MAX_VALUE && rule.pattern.test(v) && (rule.check?.(v) ?? true) ? v : null;
}

/** The spec's fields from `params`, canonical; `shared`: for a page anyone may be given (drops personal flags). */
export function readSearch(
  params: URLSearchParams,
  spec: SearchSpec,
  opts: { shared: boolean },
): SearchValues {
  const text: Record<string, string> = {};
  const sets: Record<string, string[]> = {};
  const singles: Record<string, string> = {};
  const flags = new Set<string>();
  for (const [name, field] of Object.entries(spec)) {
    const raw = params.getAll(name);
    if (field.kind === "text") {
      const rendered = renderSearch(parseSearch(raw[0] ?? ""));
      if (rendered) text[name] = rendered;
    } else if (field.kind === "set") {
      const values = raw.flatMap((v) => v.split(",")).map((v) => clean(v, field));
      const kept = [...new Set(values.filter((v) => v !== null))].sort().slice(0, field.max);
      if (kept.length > 0) sets[name] = kept;
    } else if (field.kind === "single") {
      const value = raw.map((v) => clean(v, field)).find((v) => v !== null);
      if (value != null && value !== field.fallback) singles[name] = value;
    } else if (raw.some((v) => ON.has(v.trim().toLowerCase())) && !(field.personal && opts.shared)) {
      flags.add(name);
    }
  }
  return { text, sets, singles, flags };
}

/** The canonical query string (names sorted, `+` for spaces): what the edge forwards and keys on. */
export function canonicalSearch(
  params: URLSearchParams,
  spec: SearchSpec,
  opts: { shared: boolean },
): string {
  return searchQueryString(readSearch(params, spec, opts));
}

export function searchQueryString(values: SearchValues): string {
  const out = new URLSearchParams();
  for (const [name, v] of Object.entries(values.text)) out.append(name, v);
  for (const [name, list] of Object.entries(values.sets)) for (const v of list) out.append(name, v);
  for (const [name, v] of Object.entries(values.singles)) out.append(name, v);
  for (const name of values.flags) out.append(name, "1");
  // Stable sort by name keeps a set's values in their sorted order.
  out.sort();
  return out.toString();
}
