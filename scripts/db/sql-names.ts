// Identifier patterns and normalisation shared by the migration rules and the runner.

/** A bare or double-quoted identifier. */
export const IDENT = String.raw`(?:"(?:[^"]|"")+"|[a-z_][\w$]*)`;
/** An optionally schema-qualified name. */
export const QNAME = String.raw`${IDENT}(?: ?\. ?${IDENT})?`;

export const re = (src: string): RegExp => new RegExp(src, "i");

/** Unquotes an identifier (quoted keeps its case, bare is folded) and drops any schema qualifier. */
export function identName(raw: string): string {
  const parts = raw.match(new RegExp(IDENT, "gi")) ?? [raw];
  const last = parts[parts.length - 1] ?? raw;
  return last.startsWith('"') ? last.slice(1, -1).replace(/""/g, '"') : last.toLowerCase();
}

const CONCURRENT_INDEX_NAME = re(
  String.raw`^create (?:unique )?index concurrently (?:if not exists )?(${IDENT}) on\b`,
);

/** The index a `CREATE INDEX CONCURRENTLY name ON …` builds, if it names one. */
export function concurrentIndexName(shape: string): string | undefined {
  const m = CONCURRENT_INDEX_NAME.exec(shape);
  return m?.[1] ? identName(m[1]) : undefined;
}
