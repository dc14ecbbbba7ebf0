// What every Worker config asks of the bundler: minified without kept names, test hooks only in local builds, and
// Sentry's debug logging and tracing compiled out wherever the SDK is bundled.
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { unstable_readConfig } from "wrangler";
import { WORKER_CONFIGS } from "../lib/workers.ts";
import { environments } from "./configs.ts";

const root = resolve(import.meta.dirname, "../..");
const read = (config: string, env: string) =>
  unstable_readConfig({ config: join(root, config), env: env || undefined }, { hideWarnings: true });

describe("bundler settings in the wrangler configs", () => {
  const envs = ["", ...environments(root)];

  it.each(WORKER_CONFIGS)("%s: minified, without kept names, in every environment", (config) => {
    for (const env of envs) {
      const c = read(config, env);
      expect({ env, minify: c.minify, keepNames: c.keep_names }).toEqual({
        env,
        minify: true,
        keepNames: false,
      });
    }
  });

  it.each(WORKER_CONFIGS)("%s: test hooks compiled in at the top level only", (config) => {
    const hooks = (env: string) => read(config, env).define["globalThis.__TEST_HOOKS__"];
    // The edge has no test hooks, so it defines nothing.
    if (config === "wrangler.toml") {
      for (const env of envs) expect(hooks(env)).toBeUndefined();
      return;
    }
    expect(hooks("")).toBe("true");
    for (const env of envs.slice(1)) expect({ env, hooks: hooks(env) }).toEqual({ env, hooks: "false" });
  });

  it.each(WORKER_CONFIGS)(
    "%s: Sentry's debug logging and tracing compiled out in every environment",
    (config) => {
      // The edge does not bundle the SDK; origin and jobs report errors only (shared/error-tracking/sentry.ts).
      const sentry = (env: string) => {
        const { define } = read(config, env);
        return { env, debug: define.__SENTRY_DEBUG__, tracing: define.__SENTRY_TRACING__ };
      };
      const expected = config === "wrangler.toml" ? undefined : "false";
      for (const env of envs) expect(sentry(env)).toEqual({ env, debug: expected, tracing: expected });
    },
  );
});
