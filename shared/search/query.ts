// What a person typed into a search box: words, "phrases", -exclusions and OR, bounded, in one canonical form,
// and as tsquery text that to_tsquery cannot misread (every operand is quoted; Postgres' own parser splits it).

export type Term =
  | { readonly kind: "word"; readonly text: string; readonly negated: boolean }
  | { readonly kind: "phrase"; readonly text: string; readonly negated: boolean }
  | { readonly kind: "or" };

export const SEARCH_LIMITS = Object.freeze({
  /** Characters of input looked at; the rest is ignored. */
  maxLength: 200,
  /** Words and phrases (OR does not count). */
  maxTerms: 8,
  /** Characters per word or phrase. */
  maxTermLength: 60,
  /** A shorter unfinished word is not matched as a prefix: it would match most of the index. */
  minPrefix: 2,
});

// C0/C1 controls (NUL included: Postgres refuses it in text) and lone surrogates (no UTF-8 form) become spaces.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
const LONE_SURROGATES = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const HAS_WORD = /[\p{L}\p{N}]/u;
const TOKEN = /(-?)"([^"]*)(?:"|$)|(-?)([^\s"]+)/gu;

function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : chars.slice(0, max).join("");
}

/** Lower-cased, NFKC, bounded; pieces without a letter or digit are dropped (Postgres would drop them too). */
export function parseSearch(raw: string): Term[] {
  const folded = raw
    .replace(CONTROLS, " ")
    .replace(LONE_SURROGATES, " ")
    .normalize("NFKC")
    .toLowerCase()
    .normalize("NFKC");
  const text = clip(folded, SEARCH_LIMITS.maxLength);
  const out: Term[] = [];
  let count = 0;
  for (const m of text.matchAll(TOKEN)) {
    if (count >= SEARCH_LIMITS.maxTerms) break;
    const quoted = m[2] !== undefined;
    const negated = (quoted ? m[1] : m[3]) === "-";
    const inside = (quoted ? (m[2] ?? "") : (m[4] ?? "")).trim().replace(/\s+/g, " ");
    const body = clip(inside, SEARCH_LIMITS.maxTermLength).trimEnd();
    if (!quoted && !negated && body === "or") {
      // Only between two terms: a leading, trailing or repeated OR means nothing.
      if (out.length > 0 && out[out.length - 1]?.kind !== "or") out.push({ kind: "or" });
      continue;
    }
    if (!HAS_WORD.test(body)) continue;
    // A quoted single word is just that word: one canonical form for both spellings.
    const phrase = quoted && body.includes(" ");
    out.push({ kind: phrase ? "phrase" : "word", text: body, negated });
    count++;
  }
  if (out[out.length - 1]?.kind === "or") out.pop();
  // Only exclusions would match almost everything (and cannot use the index): nothing to search for.
  if (!out.some((t) => t.kind !== "or" && !t.negated)) return [];
  return out;
}

/** The canonical text of parsed terms: `postgres "read only" -mysql or mariadb`. parseSearch(renderSearch(t)) = t. */
export function renderSearch(terms: readonly Term[]): string {
  return terms
    .map((t) => {
      if (t.kind === "or") return "or";
      // Unquoted, a plain `or` would read back as the operator and `-x` as an exclusion.
      const ambiguous = !t.negated && (t.text === "or" || t.text.startsWith("-"));
      const body = t.kind === "phrase" || ambiguous ? `"${t.text}"` : t.text;
      return `${t.negated ? "-" : ""}${body}`;
    })
    .join(" ");
}

/** Letters and digits of the terms that must match, for highlighting and for naive baselines. */
export function positiveWords(terms: readonly Term[]): string[] {
  const words = terms.flatMap((t) => (t.kind === "or" || t.negated ? [] : t.text.split(/[^\p{L}\p{N}]+/u)));
  return [...new Set(words.filter((w) => w.length > 0))];
}

/** The terms with some words replaced (a "did you mean" suggestion); phrases and exclusions keep their form. */
export function replaceWords(terms: readonly Term[], fixes: ReadonlyMap<string, string>): Term[] {
  return terms.map((t) =>
    t.kind === "or" || t.negated
      ? t
      : { ...t, text: t.text.replace(/[\p{L}\p{N}]+/gu, (w) => fixes.get(w) ?? w) },
  );
}

export interface TsQueryText {
  /** For to_tsquery(config, main): everything but the prefix; null when nothing is left. */
  readonly main: string | null;
  /** The unfinished last word as a tsquery prefix operand (`'cachi':*`), or null. */
  readonly prefix: string | null;
}

/** Quoted so that no character of the input is a tsquery operator; Postgres' parser splits the inside. */
export function quoteOperand(text: string): string {
  return `'${text.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/**
 * With `prefix`, the last term, if it is a plain word not after OR, matches as a prefix (search-as-you-type):
 * the caller matches it under both the stemming and the plain configuration (see the search decision record).
 */
export function toTsQuery(
  terms: readonly Term[],
  opts: { prefix: boolean; weights?: "A" | "AB" | "ABC" },
): TsQueryText {
  // A weight label after an operand (`'grace':A`, `'cachi':*A`) matches only lexemes of those weights, e.g. titles.
  const label = opts.weights ?? "";
  let rest = terms;
  let prefix: string | null = null;
  const last = terms[terms.length - 1];
  const beforeLast = terms[terms.length - 2];
  if (
    opts.prefix &&
    last?.kind === "word" &&
    !last.negated &&
    beforeLast?.kind !== "or" &&
    Array.from(last.text).length >= SEARCH_LIMITS.minPrefix
  ) {
    prefix = `${quoteOperand(last.text)}:*${label}`;
    rest = terms.slice(0, -1);
  }
  let main = "";
  let pendingOr = false;
  for (const t of rest) {
    if (t.kind === "or") {
      pendingOr = true;
      continue;
    }
    if (main) main += pendingOr ? " | " : " & ";
    pendingOr = false;
    main += `${t.negated ? "!" : ""}${quoteOperand(t.text)}${label ? `:${label}` : ""}`;
  }
  // Exclusions alone are not a query (see parseSearch); with a prefix beside them they narrow it.
  const positive = rest.some((t) => t.kind !== "or" && !t.negated);
  return { main: main && (positive || prefix) ? main : null, prefix };
}
