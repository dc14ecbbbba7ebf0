// Who is making a request: session resolution at the edge.
export { createIdentityResolver, type Identity, type IdentityResolverOptions } from "./resolve.ts";
