// What the edge may ask the origin outside HTTP: RPC methods on the service binding, which no URL can reach.
import type { Identity } from "../identity/index.ts";

export interface ExposureRow {
  flag: string;
  variant: string;
  subject: string;
}

/** `user: null`: no such session (or expired). `unavailable`: the origin could not tell (its database failed). */
export type IdentityAnswer = { user: Identity | null } | { unavailable: string };

export interface OriginRpc {
  /** Who a session belongs to. Never rejects for a database failure: it says so instead. */
  identity(sessionId: string): Promise<IdentityAnswer>;
  /** Experiment exposures the edge saw on cached pages; the number of rows written. */
  recordExposures(rows: ExposureRow[]): Promise<number>;
}

/** The origin binding as the edge uses it: HTTP for pages, RPC for everything internal. */
export type OriginBinding = Fetcher & OriginRpc;
