// Error tracking: grouped errors in Postgres and Sentry for the origin and jobs Workers, nothing identifying a visitor.
export { type ErrorGroup, ErrorGroups, fingerprint, messageShape, topFrames } from "./group.ts";
export { type ReportContext, reportError, writeGroups } from "./report.ts";
export { type SentrySettings, scrubEvent, sentryOptions } from "./sentry.ts";
