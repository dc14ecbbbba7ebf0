// Turns the flags admin API's answers into the CLI's tables and one-line confirmations.
import type { FlagDoc, Segment } from "../shared/flags/index.ts";
import type { AuditEntry } from "../shared/flagstore/index.ts";
import { describeFlag, describeSegment } from "../shared/flagstore/index.ts";

type FlagLine = {
  key: string;
  state: string;
  summary: string;
  disabledBy?: string | null;
  updatedAt: string;
  updatedBy: string;
};
type SegmentLine = { name: string; summary: string; updatedAt: string; updatedBy: string };

const clip = (s: string, n: number): string => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);
const when = (iso: string): string => iso.replace("T", " ").slice(0, 16);

/** Left-aligned columns under a header, every cell clipped to `max`. */
export function table(head: string[], rows: string[][], max = 60): string {
  const all = [head, ...rows].map((r) => r.map((c) => clip(c, max)));
  const widths = head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
  return all
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

const isSegment = (key: string): boolean => key.startsWith("segment:");
const summary = (key: string, doc: unknown): string =>
  isSegment(key)
    ? describeSegment(doc as Segment)
    : `${(doc as FlagDoc).state} ${describeFlag(doc as FlagDoc)}`.trim();

/** What one audit entry did, in a few words. */
export function describeChange(e: Pick<AuditEntry, "key" | "before" | "after">): string {
  if (e.after === null) return "deleted";
  if (e.before === null) return `created: ${summary(e.key, e.after)}`;
  const [b, a] = [e.before as FlagDoc, e.after as FlagDoc];
  if (!isSegment(e.key) && b.state !== a.state) return `${b.state} → ${summary(e.key, a)}`;
  return `edited: ${summary(e.key, a)}`;
}

export function auditTable(entries: AuditEntry[]): string {
  if (entries.length === 0) return "(no changes recorded)";
  return table(
    ["WHEN (UTC)", "KEY", "BY", "CHANGE"],
    entries.map((e) => [when(e.at), e.key, e.actor, describeChange(e)]),
    80,
  );
}

export function listView(data: {
  version: string | null;
  stored: string | null;
  inSync: boolean;
  problems?: string[];
  flags: FlagLine[];
  segments: SegmentLine[];
}): string {
  const out = [
    data.inSync
      ? `snapshot ${data.version} (published, in sync with the database)`
      : `snapshot ${data.version ?? "(none published)"}; database has ${data.stored ?? "an invalid set"}: run npm run flags -- publish`,
  ];
  if (data.problems?.length) out.push(`problems: ${data.problems.join("; ")}`);
  out.push(
    "",
    data.flags.length === 0
      ? "(no flags stored: code defaults apply)"
      : table(
          ["KEY", "STATE", "TARGETING", "UPDATED (UTC)", "BY"],
          data.flags.map((f) => [
            f.key,
            f.disabledBy && f.state !== "off" ? `off (${f.disabledBy} is off)` : f.state,
            f.summary || "-",
            when(f.updatedAt),
            f.updatedBy,
          ]),
        ),
  );
  if (data.segments.length > 0) out.push("", segmentsView(data.segments));
  return out.join("\n");
}

export function segmentsView(segments: SegmentLine[]): string {
  if (segments.length === 0) return "(no segments)";
  return table(
    ["SEGMENT", "ALL OF", "UPDATED (UTC)", "BY"],
    segments.map((s) => [s.name, s.summary, when(s.updatedAt), s.updatedBy]),
  );
}

export function flagView(data: {
  key: string;
  doc: FlagDoc;
  summary: string;
  disabledBy: string | null;
  updatedAt: string;
  updatedBy: string;
  audit: AuditEntry[];
}): string {
  const d = data.doc;
  const lines = [
    `${data.key}: ${d.state}${d.state === "on" ? " (everyone)" : d.state === "off" ? " (nobody)" : ""}`,
    ...(d.description ? [`  ${d.description}`] : []),
    `targeting  ${data.summary || "-"}${d.state !== "selective" && d.conditions?.length ? " (used when selective)" : ""}`,
    ...(data.disabledBy
      ? [`DISABLED   parent "${data.disabledBy}" is off, which switches this flag off too`]
      : []),
    `updated    ${when(data.updatedAt)} UTC by ${data.updatedBy}`,
    "",
    JSON.stringify(d, null, 2),
    "",
    auditTable(data.audit),
  ];
  return lines.join("\n");
}

export function changeLine(data: { key: string; doc: unknown; changed: boolean; version: string }): string {
  const what = data.doc === null ? "deleted" : summary(data.key, data.doc);
  return `${data.key}: ${what}${data.changed ? "" : " (unchanged)"}; snapshot ${data.version}`;
}
