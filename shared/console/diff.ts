// What an audit entry changed, as short path: before → after lines (the console's flag history).

export interface Change {
  /** e.g. `state`, `conditions[0].tags`, `variants[1].weight`; "" for the whole document. */
  path: string;
  /** JSON text, or undefined when the value was added (before) or removed (after). */
  before?: string;
  after?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const show = (v: unknown): string | undefined => (v === undefined ? undefined : JSON.stringify(v));

/** Objects compare key by key, arrays of one length item by item; anything else is replaced whole. */
export function diffDocs(before: unknown, after: unknown, path = ""): Change[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffDocs(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((b, i) => diffDocs(b, after[i], `${path}[${i}]`));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const change: Change = { path };
  const b = show(before);
  const a = show(after);
  if (b !== undefined) change.before = b;
  if (a !== undefined) change.after = a;
  return [change];
}
