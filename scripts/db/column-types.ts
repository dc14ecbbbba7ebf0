// Column types in column definitions, and the type changes PostgreSQL makes without rewriting the table.

// Where a column definition's type ends: the first column constraint or option.
const TYPE_END =
  /\s(?:not null|null|default|check|references|unique|primary key|generated|constraint|collate|using)\b/i;

/** The type of a column definition (`varchar(20) NOT NULL DEFAULT ''` → `varchar(20)`), normalised. */
export function typeOfDefinition(def: string): string {
  const end = TYPE_END.exec(` ${def}`);
  const type = end ? ` ${def}`.slice(0, end.index) : def;
  return normaliseType(type);
}

export function normaliseType(type: string): string {
  return type
    .toLowerCase()
    .replace(/"/g, "")
    .replace(/\bcharacter varying\b/g, "varchar")
    .replace(/\bdecimal\b/g, "numeric")
    .replace(/\s*([(),])\s*/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
}

interface Parsed {
  kind: string;
  args: number[];
}

function parse(type: string): Parsed {
  const m = /^([a-z_ ]+?)(?:\((\d+(?:,\d+)?)\))?$/.exec(normaliseType(type));
  return { kind: m?.[1] ?? type, args: (m?.[2] ?? "").split(",").filter(Boolean).map(Number) };
}

/**
 * True when PostgreSQL changes only the catalog: the new type is binary compatible and accepts every old value
 * (varchar limit raised or removed, varchar ↔ text, numeric precision raised at the same scale).
 */
export function isCatalogOnlyTypeChange(from: string, to: string): boolean {
  const a = parse(from);
  const b = parse(to);
  if (normaliseType(from) === normaliseType(to)) return true;
  const texty = (p: Parsed) => p.kind === "text" || p.kind === "varchar";
  if (texty(a) && texty(b)) {
    if (b.kind === "text" || b.args.length === 0) return true;
    const [limit] = b.args;
    return a.kind === "varchar" && a.args.length === 1 && (a.args[0] ?? 0) <= (limit ?? 0);
  }
  if (a.kind === "numeric" && b.kind === "numeric") {
    if (b.args.length === 0) return true;
    const [p1 = 0, s1 = 0] = a.args;
    const [p2 = 0, s2 = 0] = b.args;
    return a.args.length > 0 && s1 === s2 && p2 >= p1;
  }
  return false;
}
