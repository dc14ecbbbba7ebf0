// Turns ts_headline output (matches between two marker characters) into plain segments a view renders and escapes.

/** Markers passed to ts_headline as StartSel/StopSel: control characters never stored in searchable text. */
export const HIT_OPEN = "\u0001";
export const HIT_CLOSE = "\u0002";

export type Segment = { readonly text: string; readonly hit: boolean };

/** Unbalanced or stray markers are dropped, never shown; adjacent segments of the same kind are merged. */
export function highlightSegments(marked: string): Segment[] {
  const out: Segment[] = [];
  let hit = false;
  let buf = "";
  const flush = () => {
    if (!buf) return;
    const prev = out[out.length - 1];
    if (prev && prev.hit === hit) out[out.length - 1] = { text: prev.text + buf, hit };
    else out.push({ text: buf, hit });
    buf = "";
  };
  for (const ch of marked) {
    if (ch === HIT_OPEN || ch === HIT_CLOSE) {
      flush();
      hit = ch === HIT_OPEN;
    } else buf += ch;
  }
  flush();
  return out;
}
