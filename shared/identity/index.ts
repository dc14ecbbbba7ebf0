// Who is making a request: session ids, their resolution at the edge, and the sign-outs every isolate must hear of.
export { createIdentityResolver, type Identity, type IdentityResolverOptions } from "./resolve.ts";
export {
  createRevokedReader,
  publishRevocation,
  REVOKED_KEEP_MS,
  REVOKED_KEY,
  type RevokedList,
  SESSION_ENDED_HEADER,
  withRevocation,
} from "./revoked.ts";
export { isSessionId, newSessionId, sessionKey } from "./session.ts";
