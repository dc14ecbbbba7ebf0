// What the edge may ask the origin outside HTTP: RPC methods on the service binding, which no URL can reach.
import type { Identity } from "../identity/index.ts";

export interface ExposureRow {
  flag: string;
  variant: string;
  subject: string;
}

export interface OriginRpc {
  /** The user a session belongs to; null when it is unknown or expired. */
  identity(sessionId: string): Promise<Identity | null>;
  /** Experiment exposures the edge saw on cached pages; the number of rows written. */
  recordExposures(rows: ExposureRow[]): Promise<number>;
}

/** The origin binding as the edge uses it: HTTP for pages, RPC for everything internal. */
export type OriginBinding = Fetcher & OriginRpc;
