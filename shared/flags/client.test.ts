// The handler-facing helper (exposures once per key) and the cache-key split.
import { describe, expect, it } from "vitest";
import { cacheKeySuffix, cacheKeyVariants } from "./cache-key.ts";
import { createFlags, type Exposure } from "./client.ts";
import { compile } from "./compile.ts";
import { evaluateAll } from "./evaluate.ts";

const compiled = compile(
  {
    version: "v9",
    flags: {
      exp: {
        state: "on",
        variants: [
          { name: "a", weight: 1 },
          { name: "b", weight: 1, users: ["qa"] },
        ],
        cacheKey: true,
      },
      rollout: { state: "selective", conditions: [{ type: "percentage", percentage: 100 }], cacheKey: true },
      plain: { state: "on" },
    },
    segments: {},
  },
  { defaults: { later: true } },
);

describe("createFlags", () => {
  it("answers isOn/variant/all and records each experiment exposure once", () => {
    const seen: Exposure[] = [];
    const flags = createFlags(evaluateAll(compiled, { anonymousId: "anon-1", now: 0 }), (e) => seen.push(e));
    expect(flags.version).toBe("v9");
    expect(flags.isOn("plain")).toBe(true);
    expect(flags.isOn("later")).toBe(true);
    expect(flags.isOn("unknown")).toBe(false);
    expect(flags.variant("unknown")).toBe("off");
    const v = flags.variant("exp");
    expect(["a", "b"]).toContain(v);
    flags.variant("exp");
    flags.variant("plain");
    flags.variant("rollout");
    expect(seen).toEqual([{ flag: "exp", variant: v, subject: "anon-1", version: "v9" }]);
    expect(Object.keys(flags.all()).sort()).toEqual(["exp", "later", "plain", "rollout"]);
  });

  it("hands out a variant's payload and counts reading it as an exposure", () => {
    const seen: Exposure[] = [];
    const withPayload = compile({
      version: "p",
      flags: {
        hero: { state: "on", variants: [{ name: "x", weight: 1, payload: { type: "json", value: "[1]" } }] },
      },
      segments: {},
    });
    const flags = createFlags(evaluateAll(withPayload, { userId: "u1", now: 0 }), (e) => seen.push(e));
    expect(flags.payload("hero")).toEqual({ type: "json", value: "[1]" });
    expect(flags.payload("nope")).toBeUndefined();
    expect(seen).toEqual([{ flag: "hero", variant: "x", subject: "u1", version: "p" }]);
  });

  it("does not record forced variants, and survives a throwing recorder", () => {
    const flags = createFlags(evaluateAll(compiled, { userId: "qa", now: 0 }), () => {
      throw new Error("queue down");
    });
    expect(flags.variant("exp")).toBe("b");
    const split = createFlags(evaluateAll(compiled, { userId: "u7", now: 0 }), () => {
      throw new Error("queue down");
    });
    expect(() => split.variant("exp")).not.toThrow();
  });
});

describe("cache key", () => {
  it("lists only cacheKey flags as flag:<key> → variant", () => {
    const evaluated = evaluateAll(compiled, { anonymousId: "anon-1", now: 0 });
    const parts = cacheKeyVariants(compiled, evaluated);
    expect(Object.keys(parts).sort()).toEqual(["flag:exp", "flag:rollout"]);
    expect(parts["flag:rollout"]).toBe("on");
    expect(cacheKeySuffix(compiled, evaluated)).toBe(`flag:exp=${parts["flag:exp"]}&flag:rollout=on`);
  });
});
