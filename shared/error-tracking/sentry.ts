// Sentry's options for the origin and jobs Workers: off without a DSN, and nothing that identifies a visitor sent.
import type { CloudflareOptions, ErrorEvent } from "@sentry/cloudflare";

// The signed edge context carries the user's identity; cookies and client addresses identify a visitor.
const PRIVATE_HEADERS = [
  "authorization",
  "cookie",
  "x-edge-context",
  "x-session-id",
  "cf-connecting-ip",
  "true-client-ip",
  "x-forwarded-for",
  "x-real-ip",
];

/** An event as it may leave: no private headers, cookies, query string (codes, tokens) or request body. */
export function scrubEvent(event: ErrorEvent): ErrorEvent {
  const request = event.request;
  if (request) {
    if (request.headers) {
      request.headers = Object.fromEntries(
        Object.entries(request.headers).filter(([name]) => !PRIVATE_HEADERS.includes(name.toLowerCase())),
      );
    }
    delete request.cookies;
    delete request.data;
    delete request.query_string;
    if (request.url) request.url = request.url.replace(/[?#].*$/, "");
  }
  delete event.user;
  return event;
}

export type SentrySettings = { SENTRY_DSN?: string | null | undefined; ENVIRONMENT: string };

/** Undefined turns the SDK off. The release is the deployed version (CF_VERSION_METADATA) unless SENTRY_RELEASE says. */
export function sentryOptions(config: SentrySettings | undefined): CloudflareOptions | undefined {
  if (!config?.SENTRY_DSN) return undefined;
  return {
    dsn: config.SENTRY_DSN,
    environment: config.ENVIRONMENT,
    // Collected by the SDK only what identifies no one; beforeSend removes the rest whatever an integration adds.
    dataCollection: {
      userInfo: false,
      cookies: false,
      httpHeaders: { request: { deny: PRIVATE_HEADERS }, response: false },
      httpBodies: [],
      urlQueryParams: false,
    },
    // Errors only: request timing is in the request log line, not worth a trace per request here. The Workers'
    // configs compile the SDK's tracing out as well (__SENTRY_TRACING__): a sample rate above 0 needs that flag gone.
    tracesSampleRate: 0,
    beforeSend: scrubEvent,
  };
}
