// The switchboard object's SQLite tables (its state and an audit trail) and their rows as the API shows them.
import * as z from "zod/mini";
import type { BoardState } from "./board.ts";
import { switchesSchema } from "./switches.ts";

/** Audit rows kept (a switch flips a few times a day; this is months of history). */
export const AUDIT_KEEP = 1_000;

export const BOARD_SCHEMA = `
create table if not exists board (id integer primary key check (id = 1), value text not null);
create table if not exists audit (
  id integer primary key autoincrement,
  at integer not null,
  actor text not null,
  action text not null,
  detail text not null,
  before text,
  after text
);`;

const boardSchema = z.object({
  ...switchesSchema.shape,
  trip: z.nullable(
    z.object({
      healthySince: z.nullable(z.number()),
      lastProbeAt: z.nullable(z.number()),
      lastDetail: z.string(),
    }),
  ),
  kvDirty: z.boolean(),
  stored: z.boolean(),
});

/** The state as stored; refuses (throws) a state that would not read back, so a bad value never replaces a good one. */
export function boardText(state: BoardState): string {
  boardSchema.parse(state);
  return JSON.stringify(state);
}

/** The stored state, or null when nothing (or nothing readable) is stored yet. */
export function parseBoard(text: string | undefined): BoardState | null {
  if (text === undefined) return null;
  try {
    const parsed = boardSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** One audit row as `GET /_admin/readonly/audit` shows it. */
export type AuditEntry = {
  id: number;
  at: string;
  actor: string;
  action: string;
  detail: string;
  before: unknown;
  after: unknown;
};

export function auditEntry(row: {
  id: number;
  at: number;
  actor: string;
  action: string;
  detail: string;
  before: string | null;
  after: string | null;
}): AuditEntry {
  const json = (text: string | null): unknown => {
    try {
      return text === null ? null : JSON.parse(text);
    } catch {
      return text;
    }
  };
  return { ...row, at: new Date(row.at).toISOString(), before: json(row.before), after: json(row.after) };
}
