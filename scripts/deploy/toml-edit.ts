// Writes one value into a wrangler.toml in place, keeping its comments and layout (wrangler's own patcher
// refuses TOML with comments).

export interface Target {
  /** Dotted table path: "env.staging.kv_namespaces", "env.production.vars", "kv_namespaces". */
  table: string;
  /** For an array of tables, the entry whose keys have these values (e.g. { binding: "CONFIG" }). */
  match?: Record<string, string>;
  key: string;
  value: string;
  /** `value` is TOML already (an array, a table), written as is; otherwise it is a string and quoted. */
  literal?: boolean;
}

const HEADER = /^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$/;
const keyLine = (key: string) => new RegExp(`^(\\s*)${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*=`);

/** [start, end) line ranges of the blocks under `[table]` or `[[table]]` headers. */
function blocks(lines: string[], table: string): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < lines.length; i++) {
    const h = HEADER.exec(lines[i] ?? "");
    if (!h || h[2] !== table) continue;
    let end = i + 1;
    while (end < lines.length && !HEADER.test(lines[end] ?? "")) end++;
    out.push([i + 1, end]);
  }
  return out;
}

function stringValue(line: string): string | null {
  const m = /=\s*"((?:[^"\\]|\\.)*)"/.exec(line);
  return m ? (JSON.parse(`"${m[1]}"`) as string) : null;
}

/** The text with `key = "value"` set in the one block `target` names; throws when there is no such block. */
export function setTomlValue(text: string, target: Target): string {
  const lines = text.split("\n");
  const candidates = blocks(lines, target.table).filter(([start, end]) =>
    Object.entries(target.match ?? {}).every(([k, v]) =>
      lines.slice(start, end).some((l) => keyLine(k).test(l) && stringValue(l) === v),
    ),
  );
  const where = `[${target.match ? "[" : ""}${target.table}${target.match ? "]" : ""}]${
    target.match
      ? ` with ${Object.entries(target.match)
          .map(([k, v]) => `${k} = "${v}"`)
          .join(", ")}`
      : ""
  }`;
  const [block, ...more] = candidates;
  if (!block) throw new Error(`no ${where} table to write ${target.key} into`);
  if (more.length > 0) throw new Error(`more than one ${where} table`);
  const [start, end] = block;
  const line = `${target.key} = ${target.literal ? target.value : JSON.stringify(target.value)}`;
  const at = lines.slice(start, end).findIndex((l) => keyLine(target.key).test(l));
  if (at >= 0) {
    const old = lines[start + at] ?? "";
    const indent = keyLine(target.key).exec(old)?.[1] ?? "";
    const comment = target.literal
      ? ""
      : (/^[^=]*=\s*(?:"(?:[^"\\]|\\.)*"|[^#]*?)(\s+#.*)$/.exec(old)?.[1] ?? "");
    lines[start + at] = `${indent}${line}${comment}`;
  } else {
    // After the block's last non-blank line, so a blank line before the next header stays where it was.
    let last = end - 1;
    while (last >= start && (lines[last] ?? "").trim() === "") last--;
    lines.splice(last + 1, 0, line);
  }
  return lines.join("\n");
}
