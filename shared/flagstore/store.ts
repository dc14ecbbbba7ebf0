// The storage contract for rule documents (flags and segments share one table) and the write-time checks.
import { HTTPException } from "hono/http-exception";
import type { FlagDoc, Segment } from "../flags/index.ts";
import { isValidFlagKey, validateFlag, validateSegment } from "../flags/index.ts";

/**
 * Segments live in the `flags` table under this prefix, so one audit trail and one snapshot query cover both.
 * Flag keys `segment` and `segment:*` are therefore reserved.
 */
export const SEGMENT_PREFIX = "segment:";
export const SEGMENT_NAME = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

export interface FlagRow {
  /** A flag key, or `segment:<name>` for a segment. */
  key: string;
  doc: unknown;
  updatedAt: string;
  updatedBy: string;
}

export interface AuditEntry {
  id: number;
  key: string;
  actor: string;
  before: unknown;
  after: unknown;
  at: string;
}

/**
 * What the admin API needs from storage; `pgFlagStore(db)` is the real one.
 * `expect` on put: undefined = write unconditionally, null = only if the key is new, a document = only if the
 * stored one still equals it (optimistic concurrency, so two read-modify-writes cannot lose an update).
 */
export interface FlagStore {
  rows(): Promise<FlagRow[]>;
  get(key: string): Promise<FlagRow | null>;
  put(key: string, doc: unknown, actor: string, expect?: unknown): Promise<boolean>;
  delete(key: string, actor: string): Promise<boolean>;
  audit(key: string | undefined, limit: number): Promise<AuditEntry[]>;
}

export const isSegmentKey = (key: string): boolean => key === "segment" || key.startsWith(SEGMENT_PREFIX);
export const segmentKey = (name: string): string => `${SEGMENT_PREFIX}${name}`;

/** Rows split into the `{ flags, segments }` a snapshot is built from. */
export function splitRows(rows: readonly Pick<FlagRow, "key" | "doc">[]): {
  flags: Record<string, FlagDoc>;
  segments: Record<string, Segment>;
} {
  const flags: Record<string, FlagDoc> = {};
  const segments: Record<string, Segment> = {};
  for (const row of rows) {
    if (row.key.startsWith(SEGMENT_PREFIX))
      segments[row.key.slice(SEGMENT_PREFIX.length)] = row.doc as Segment;
    else flags[row.key] = row.doc as FlagDoc;
  }
  return { flags, segments };
}

const bad = (messages: string[]): HTTPException => new HTTPException(400, { message: messages.join("; ") });

export function assertFlagKey(key: string): void {
  if (isSegmentKey(key)) {
    throw bad([`"${key}" is reserved for segments; manage segments under /_admin/flags/_segments`]);
  }
  const shown = key.slice(0, 80);
  if (!isValidFlagKey(key)) {
    throw bad([
      `"${shown}" is not a flag key: letters, digits, symbols and _ . - ~ without spaces (up to 100 each, not starting with _ . - ~), parts joined by ":"`,
    ]);
  }
}

export function assertSegmentName(name: string): void {
  if (!SEGMENT_NAME.test(name)) {
    throw bad([`"${name.slice(0, 80)}" is not a segment name: lowercase a-z 0-9 _ . - (up to 64)`]);
  }
}

/** 400 with every validator message when the document is not a valid flag. */
export function assertValidFlag(key: string, doc: unknown): asserts doc is FlagDoc {
  assertFlagKey(key);
  const errs = validateFlag(doc, key);
  if (errs.length > 0) throw bad(errs);
}

export function assertValidSegment(name: string, doc: unknown): asserts doc is Segment {
  assertSegmentName(name);
  const errs = validateSegment(doc, `segments.${name}`);
  if (errs.length > 0) throw bad(errs);
}
