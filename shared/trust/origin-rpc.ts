// What the edge may ask the origin outside HTTP: RPC methods on the service binding, which no URL can reach.

/** Who a session belongs to, as the origin tells the edge (shared/identity resolves and remembers it). */
export interface Identity {
  id: number;
  tags: string[];
  /** Facts about the user the origin hands the edge for flag targeting (site properties such as emailDomain). */
  properties?: Readonly<Record<string, string>>;
}

export interface ExposureRow {
  flag: string;
  variant: string;
  subject: string;
}

/** `user: null`: no such session (or expired). `unavailable`: the origin could not tell (its database failed). */
export type IdentityAnswer = { user: Identity | null } | { unavailable: string };

/** An error the edge did not expect, for the origin to report (the edge carries no error-reporting SDK). */
export type ErrorReport = { type: string; message: string; stack: string; requestId: string | null };

export interface OriginRpc {
  /** Who a session belongs to. Never rejects for a database failure: it says so instead. */
  identity(sessionId: string): Promise<IdentityAnswer>;
  /** Experiment exposures the edge saw on cached pages; the number of rows written. */
  recordExposures(rows: ExposureRow[]): Promise<number>;
  /** Reports an unexpected edge error to Sentry and the grouped errors. */
  reportError(report: ErrorReport): Promise<void>;
}

/** The origin binding as the edge uses it: HTTP for pages, RPC for everything internal. */
export type OriginBinding = Fetcher & OriginRpc;
