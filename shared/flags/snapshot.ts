// Snapshots of all rule documents with a content-derived version: the same rules always give the same version.

import type { FlagDoc, Segment, Snapshot } from "./types.ts";

/** JSON with object keys sorted at every depth (undefined members dropped, as JSON.stringify does). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(obj).sort()) {
    const v = obj[key];
    if (v === undefined || typeof v === "function") continue;
    parts.push(`${JSON.stringify(key)}:${canonicalJson(v)}`);
  }
  return `{${parts.join(",")}}`;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** First 12 hex digits of SHA-256 over the canonical JSON of `{ flags, segments }`. */
export async function snapshotVersion(
  flags: Readonly<Record<string, FlagDoc>>,
  segments: Readonly<Record<string, Segment>> = {},
): Promise<string> {
  const bytes = new TextEncoder().encode(canonicalJson({ flags, segments }));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  let hex = "";
  for (let i = 0; i < 6; i++) hex += HEX[digest[i] ?? 0];
  return hex;
}

export async function createSnapshot(
  flags: Readonly<Record<string, FlagDoc>>,
  segments: Readonly<Record<string, Segment>> = {},
): Promise<Snapshot> {
  return { version: await snapshotVersion(flags, segments), flags: { ...flags }, segments: { ...segments } };
}
