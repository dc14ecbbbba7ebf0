// The site's own flag context: the properties flags can target as `prop:<name>`, each read only when a flag asks.
import type { PropertyTable } from "../../shared/flags/index.ts";
import type { Identity } from "../../shared/identity/index.ts";

export interface PropertyInput {
  request: Request;
  url: URL;
  /** The signed-in user as the origin described them (null for visitors). */
  user: Identity | null;
  /** The edge's ENVIRONMENT (production, staging…). */
  environment: string;
}

/**
 * Add a property here to let flags target it (`{ "type": "constraint", "field": "prop:event", … }`, or
 * `"stickiness": "prop:event"`). Request facts are read here; facts only the database knows come from the origin
 * with the user (the origin's `identity` RPC method), cached at the edge with the session.
 */
export const FLAG_PROPERTIES: PropertyTable<PropertyInput> = {
  /** The event being viewed: `/events/<slug>` and every page under it. */
  event: ({ url }) => /^\/events\/([^/]+)/.exec(url.pathname)?.[1],
  /** The version the mobile app sends with each request. */
  appVersion: ({ request }) => request.headers.get("x-app-version"),
  /** Unleash's `environment`. */
  environment: ({ environment }) => environment,
  /** The signed-in user's email domain, from the origin. */
  emailDomain: ({ user }) => user?.properties?.emailDomain,
};
