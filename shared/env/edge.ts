// The edge Worker's validated config.
import * as z from "zod/mini";
import { type Keyring, keyring, type OriginBinding } from "../trust/index.ts";
import { millis, nextSecret, optionalString, parseEnvOnce, secret, text } from "./parse.ts";

const schema = z.object({
  ENVIRONMENT: text("production"),
  SESSION_COOKIE: text("sid"),
  EDGE_SECRET: secret("EDGE_SECRET"),
  EDGE_SECRET_NEXT: nextSecret("EDGE_SECRET_NEXT"),
  ADMIN_TOKEN: secret("ADMIN_TOKEN"),
  CF_ZONE_ID: optionalString,
  CF_API_TOKEN: optionalString,
  // The edge answers every request within this, whatever is down behind it (stale copy or a 504 page).
  ORIGIN_TIMEOUT_MS: millis(4_000),
  // The part of it a session lookup may use (a cold database may take a moment to answer the first one).
  IDENTITY_TIMEOUT_MS: millis(3_000),
  // How long an isolate serves the flags snapshot and read-only switch from memory before it reads them again.
  SWITCH_MEMORY_MS: millis(2_000),
  // How long a location's Cache API copy of the switchboard serves every isolate there before one asks the object.
  SWITCH_CACHE_MS: millis(1_000),
  // The ep_aid cookie keeps percentage rollouts sticky for visitors who are not signed in (docs/privacy.md).
  ANONYMOUS_ID: z._default(z.enum(["on", "off"]), "on"),
});

export type EdgeConfig = z.output<typeof schema> & {
  bindings: Pick<EdgeEnv, "CONFIG" | "ASSETS" | "SWITCHBOARD"> & { ORIGIN: OriginBinding };
  /** EDGE_SECRET as a keyring: signs with the next key while a rotation runs. */
  edgeKeys: Keyring;
};

// workerd hands every request of an isolate the same env object: build its config once, not per request.
const configs = new WeakMap<EdgeEnv, EdgeConfig>();

export function edgeConfig(env: EdgeEnv): EdgeConfig {
  let config = configs.get(env);
  if (config === undefined) {
    // `wrangler types` types a service binding as a plain Fetcher; the origin's entrypoint also has RPC methods.
    const bindings = {
      CONFIG: env.CONFIG,
      ASSETS: env.ASSETS,
      ORIGIN: env.ORIGIN as OriginBinding,
      SWITCHBOARD: env.SWITCHBOARD,
    };
    const parsed = parseEnvOnce(env, schema, "edge");
    config = { ...parsed, bindings, edgeKeys: keyring(parsed.EDGE_SECRET, parsed.EDGE_SECRET_NEXT) };
    configs.set(env, config);
  }
  return config;
}
