// The read-only switch: its state, how it is stored and validated, and what a Worker can do with it.
import * as z from "zod/mini";
import type { WaitUntil } from "../memo/index.ts";

export type ReadOnlyState = {
  on: boolean;
  reason: string;
  /** Seconds a client should wait before retrying a write; sent as `Retry-After`. */
  retryAfter: number;
  /** ISO time of the last switch, or null if never switched. */
  since: string | null;
  by: string | null;
};

/** What a change through the admin API did; `warning` when it could reach only KV (the fallback). */
export type ReadOnlyApplied = { state: ReadOnlyState; warning?: string };

/** One row of the switch's audit trail (people's changes, automatic trips and clears). */
export type ReadOnlyAuditEntry = {
  id: number;
  at: string;
  actor: string;
  action: string;
  detail: string;
  before: unknown;
  after: unknown;
};

/** The switch as a Worker sees it (shared/switchboard keeps it; this is the read-only side of it). */
export type ReadOnlyStore = {
  /** Pass the request's ExecutionContext: a stale copy is then served at once and refreshed in its waitUntil. */
  get(ctx?: WaitUntil): Promise<ReadOnlyState>;
  /** The same without awaiting when no load of this request's own is needed; undefined: call get(). */
  peek(ctx?: WaitUntil): ReadOnlyState | undefined;
  /** A person's change: applied to the current state where it is kept (not to this isolate's copy), audited. */
  apply(put: ReadOnlyPut, by: string): Promise<ReadOnlyApplied>;
  audit(limit: number): Promise<ReadOnlyAuditEntry[]>;
};

/** The body of `PUT /_admin/readonly`. */
export type ReadOnlyPut = { on: boolean; reason?: string | undefined; retryAfter?: number | undefined };

/** KV key of the fallback copy (shared/switchboard/kv-copies.ts). */
export const READ_ONLY_KEY = "readonly";

export const READ_ONLY_OFF: Readonly<ReadOnlyState> = Object.freeze({
  on: false,
  reason: "",
  retryAfter: 300,
  since: null,
  by: null,
});

export const readOnlyStateSchema = z.object({
  on: z.boolean(),
  reason: z.string().check(z.maxLength(500)),
  retryAfter: z.number().check(z.int(), z.gte(1), z.lte(86_400)),
  since: z.nullable(z.string()),
  by: z.nullable(z.string()),
});

/** A missing key means "never switched on"; anything unparsable is reported as null so the caller decides. */
export function parseReadOnlyState(raw: string | null): ReadOnlyState | null {
  if (raw === null) return { ...READ_ONLY_OFF };
  try {
    const parsed = readOnlyStateSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
