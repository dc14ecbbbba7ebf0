// The console's per-request variables: the origin's, plus who is at the console.
import type { OriginVars } from "../context.ts";

export interface Actor {
  /** Recorded as the actor of every change (flags audit, the read-only switch's "by"). */
  email: string;
  /** How the console knew them: a Cloudflare Access token, or a site session of a `staff` user. */
  via: "access" | "staff";
}

export type ConsoleApp = { Bindings: OriginEnv; Variables: OriginVars & { actor: Actor } };
