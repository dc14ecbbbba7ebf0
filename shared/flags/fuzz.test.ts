// Random and malformed rule documents: evaluate never throws, validate always answers.
import { describe, expect, it } from "vitest";
import { compile } from "./compile.ts";
import { evaluate, evaluateAll } from "./evaluate.ts";
import type { EvalContext } from "./types.ts";
import { validateFlag } from "./validate.ts";

// Deterministic PRNG so a failure reproduces.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 0x100000000;
  };
}

describe("fuzzed rule documents", () => {
  it("evaluate never throws and validate always answers, for thousands of random documents", () => {
    const r = rng(42);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
    const junk = (): unknown =>
      pick([
        null,
        undefined,
        -1,
        0,
        101,
        Number.POSITIVE_INFINITY,
        Number.NaN,
        "",
        "x",
        "10.0.0.0/99",
        "2026-13-45",
        [],
        {},
        [1, "a"],
        true,
      ]);
    const strings = () =>
      Array.from({ length: Math.floor(r() * 4) }, () =>
        pick(["u1", "a", "", "FI", "10.0.0.0/8", "::1", "*.x.dev", "1.2.3"]),
      );
    const condition = (depth: number): unknown => {
      const type = pick([
        "users",
        "tags",
        "tenants",
        "percentage",
        "ip",
        "country",
        "host",
        "header",
        "cookie",
        "time",
        "constraint",
        "segment",
        "all",
        "nope",
        junk(),
      ]);
      const c: Record<string, unknown> = { type };
      const fields = [
        "ids",
        "tags",
        "cidrs",
        "countries",
        "hosts",
        "values",
        "percentage",
        "range",
        "from",
        "until",
        "name",
        "operator",
        "value",
        "field",
        "segment",
        "exclude",
        "inverted",
        "caseInsensitive",
        "stickiness",
        "groupId",
      ];
      for (const f of fields) {
        if (r() < 0.25) c[f] = r() < 0.5 ? strings() : junk();
      }
      if (r() < 0.3) c.percentage = Math.floor(r() * 140) - 20;
      if (r() < 0.3)
        c.operator = pick([
          "IN",
          "NOT_IN",
          "STR_CONTAINS",
          "NUM_GT",
          "DATE_AFTER",
          "SEMVER_LT",
          "IN_CIDR",
          "PRESENT",
          "BOGUS",
        ]);
      if (r() < 0.3) c.value = pick(["1", "x", "1.2.3", "2026-01-01", ""]);
      if (type === "all" && depth < 3)
        c.conditions = Array.from({ length: Math.floor(r() * 3) }, () => condition(depth + 1));
      return r() < 0.05 ? junk() : c;
    };
    const doc = (): unknown => {
      if (r() < 0.05) return junk();
      const d: Record<string, unknown> = { state: pick(["on", "off", "selective", "selective", "maybe"]) };
      if (r() < 0.9) d.conditions = Array.from({ length: Math.floor(r() * 5) }, () => condition(0));
      if (r() < 0.3)
        d.variants = Array.from({ length: Math.floor(r() * 4) }, (_, i) => ({
          name: pick([`v${i}`, "on", ""]),
          weight: pick([0, 1, 50, -3, 0.5]),
        }));
      if (r() < 0.2) d.requires = [{ flag: pick(["f0", "f1", "zz", ""]), enabled: pick([true, false, "y"]) }];
      if (r() < 0.1) d.extra = 1;
      return d;
    };
    const contexts: EvalContext[] = [
      { now: 0 },
      {
        now: Date.now(),
        userId: "u1",
        tags: ["beta"],
        ip: "10.1.1.1",
        country: "FI",
        host: "a.x.dev",
        headers: () => "1.2.3",
        cookies: () => "x",
      },
      { now: Number.NaN, anonymousId: "anon", ip: "not-an-ip", headers: () => null },
    ];
    let valid = 0;
    for (let round = 0; round < 300; round++) {
      const flags: Record<string, unknown> = {};
      for (let i = 0; i < 10; i++) flags[`f${i}`] = doc();
      for (const d of Object.values(flags)) {
        const msgs = validateFlag(d);
        expect(Array.isArray(msgs)).toBe(true);
        for (const m of msgs) expect(typeof m).toBe("string");
        if (msgs.length === 0) valid++;
      }
      const compiled = compile({ version: "fz", flags, segments: { s: { conditions: [condition(1)] } } });
      for (const ctx of contexts) {
        const all = evaluateAll(compiled, ctx);
        expect(all.results.length).toBe(10);
        for (let i = 0; i < 10; i++) {
          const res = evaluate(compiled, `f${i}`, ctx);
          expect(typeof res.value).toBe("boolean");
          // A document that fails validation must evaluate to ERROR, never to a guess.
          if (validateFlag(flags[`f${i}`]).length > 0) expect(res.reason).toBe("ERROR");
        }
      }
    }
    expect(valid).toBeGreaterThan(20);
  });
});
