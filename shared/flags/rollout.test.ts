// Percentage rollouts and weighted variants: distribution, stickiness, Unleash-compatible buckets.
import { describe, expect, it } from "vitest";
import { compile, VARIANT_SEED } from "./compile.ts";
import { evaluate } from "./evaluate.ts";
import { murmur3, normalizedValue } from "./murmur3.ts";
import type { EvalContext, FlagDoc } from "./types.ts";

const NOW = 1_780_000_000_000;
const flag = (doc: FlagDoc, key = "new-talk-page") => {
  const c = compile({ version: "r", flags: { [key]: doc }, segments: {} });
  return (userId?: string, anonymousId?: string) => evaluate(c, key, { userId, anonymousId, now: NOW });
};

describe("percentage rollouts (Unleash-compatible buckets)", () => {
  it("splits ~25/75 over 10,000 ids and reports SPLIT", () => {
    const f = flag({ state: "selective", conditions: [{ type: "percentage", percentage: 25 }] });
    let on = 0;
    for (let i = 0; i < 10_000; i++) if (f(`user-${i}`).value) on++;
    expect(on / 10_000).toBeGreaterThan(0.23);
    expect(on / 10_000).toBeLessThan(0.27);
    const hit = Array.from({ length: 100 }, (_, i) => f(`user-${i}`)).find((r) => r.value);
    expect(hit?.reason).toBe("SPLIT");
  });

  it("decides exactly as bucket <= rollout with groupId defaulting to the flag key", () => {
    const f = flag({ state: "selective", conditions: [{ type: "percentage", percentage: 40 }] }, "gr1");
    for (let i = 0; i < 500; i++) expect(f(`u${i}`).value).toBe(normalizedValue(`u${i}`, "gr1") <= 40);
    // Published vector: id 123 in group gr1 lands in bucket 73.
    const g = flag({
      state: "selective",
      conditions: [{ type: "percentage", percentage: 73, groupId: "gr1" }],
    });
    expect(g("123").value).toBe(true);
    const h = flag({
      state: "selective",
      conditions: [{ type: "percentage", percentage: 72, groupId: "gr1" }],
    });
    expect(h("123").value).toBe(false);
  });

  it("is sticky per user, falls back to the anonymous id, and needs some id", () => {
    const f = flag({ state: "selective", conditions: [{ type: "percentage", percentage: 50 }] });
    for (let i = 0; i < 50; i++) expect(f(`u${i}`).value).toBe(f(`u${i}`).value);
    for (let i = 0; i < 50; i++) expect(f(undefined, `anon-${i}`).value).toBe(f(`anon-${i}`).value);
    expect(f().value).toBe(false);
    const all = flag({ state: "selective", conditions: [{ type: "percentage", percentage: 100 }] });
    expect(all().value).toBe(true);
  });

  it("ranges give disjoint cohorts over a shared groupId", () => {
    const a = flag({
      state: "selective",
      conditions: [{ type: "percentage", range: [0, 50], groupId: "exp" }],
    });
    const b = flag({
      state: "selective",
      conditions: [{ type: "percentage", range: [50, 100], groupId: "exp" }],
    });
    for (let i = 0; i < 1000; i++) expect(a(`u${i}`).value).not.toBe(b(`u${i}`).value);
  });
});

describe("variants", () => {
  const exp: FlagDoc = {
    state: "on",
    variants: [
      { name: "control", weight: 500 },
      { name: "b", weight: 300 },
      { name: "c", weight: 200, users: ["qa-1"] },
    ],
  };

  it("distributes by weight, sticky, with reason SPLIT", () => {
    const f = flag(exp, "checkout");
    const counts: Record<string, number> = {};
    for (let i = 0; i < 10_000; i++) {
      const r = f(`user-${i}`);
      expect(r.reason).toBe("SPLIT");
      counts[r.variant] = (counts[r.variant] ?? 0) + 1;
      expect(f(`user-${i}`).variant).toBe(r.variant);
    }
    expect((counts.control ?? 0) / 10_000).toBeCloseTo(0.5, 1);
    expect((counts.b ?? 0) / 10_000).toBeCloseTo(0.3, 1);
    expect((counts.c ?? 0) / 10_000).toBeCloseTo(0.2, 1);
  });

  it("uses Unleash's variant bucketing (seed 86028157, groupId = flag key)", () => {
    const f = flag(exp, "checkout");
    for (let i = 0; i < 300; i++) {
      const target = (murmur3(`checkout:user-${i}`, VARIANT_SEED) % 1000) + 1;
      const expected = target <= 500 ? "control" : target <= 800 ? "b" : "c";
      expect(f(`user-${i}`).variant).toBe(expected);
    }
  });

  it("forced users get their variant with TARGETING_MATCH; off visitors get off", () => {
    expect(flag(exp)("qa-1")).toMatchObject({ variant: "c", reason: "TARGETING_MATCH", value: true });
    const gated = flag({ ...exp, state: "selective", conditions: [{ type: "tags", tags: ["beta"] }] });
    expect(gated("u1")).toMatchObject({ value: false, variant: "off" });
  });

  it("without any sticky id the first variant is served deterministically", () => {
    expect(flag(exp)()).toMatchObject({ variant: "control", reason: "STATIC" });
  });
});

describe("stickiness on any field, random draws, and rollouts at 100 %", () => {
  const at = (doc: FlagDoc, ctx: Partial<EvalContext>) =>
    evaluate(compile({ version: "r", flags: { f: doc }, segments: {} }), "f", { now: NOW, ...ctx });
  const pct = (percentage: number, stickiness?: FlagDoc["variantStickiness"]): FlagDoc => ({
    state: "selective",
    conditions: [{ type: "percentage", percentage, ...(stickiness ? { stickiness } : {}) }],
  });
  const props = (p: Record<string, string>) => (name: string) => p[name];

  it("a 100 % rollout sticky on a field leaves out whoever lacks it; default and random need nothing", () => {
    expect(at(pct(100, "userId"), {}).value).toBe(false);
    expect(at(pct(100, "userId"), { userId: "u1" }).value).toBe(true);
    expect(at(pct(100, "anonymousId"), { userId: "u1" }).value).toBe(false);
    expect(at(pct(100, "anonymousId"), { anonymousId: "a1" }).value).toBe(true);
    expect(at(pct(100, "prop:org"), { properties: props({}) }).value).toBe(false);
    expect(at(pct(100, "prop:org"), { properties: props({ org: "acme" }) }).value).toBe(true);
    expect(at(pct(100), {}).value).toBe(true);
    expect(at(pct(100, "random"), {}).value).toBe(true);
    expect(at(pct(0, "random"), {}).value).toBe(false);
  });

  it("buckets by a site property exactly as Unleash buckets a custom field", () => {
    for (let i = 0; i < 200; i++) {
      const r = at(pct(50, "prop:customField"), { properties: props({ customField: String(i) }) });
      expect(r.value).toBe(normalizedValue(String(i), "f") <= 50);
    }
  });

  it("random stickiness draws afresh: about half of 2,000 evaluations at 50 %", () => {
    let on = 0;
    for (let i = 0; i < 2000; i++) if (at(pct(50, "random"), { userId: "same" }).value) on++;
    expect(on).toBeGreaterThan(850);
    expect(on).toBeLessThan(1150);
  });

  it("a pinned groupId keeps buckets and variants when the flag is renamed", () => {
    const doc: FlagDoc = {
      state: "selective",
      conditions: [{ type: "percentage", percentage: 50 }],
      variants: [
        { name: "a", weight: 1 },
        { name: "b", weight: 1 },
      ],
    };
    const before = flag(doc, "old-name");
    const after = flag({ ...doc, groupId: "old-name" }, "New.Name");
    for (let i = 0; i < 300; i++) {
      const [x, y] = [before(`u${i}`), after(`u${i}`)];
      expect([y.value, y.variant]).toEqual([x.value, x.variant]);
    }
  });
});

describe("payloads, overrides on any field, and variants served by one include", () => {
  const c = (doc: FlagDoc) => compile({ version: "r", flags: { f: doc }, segments: {} });
  const props = (p: Record<string, string>) => (name: string) => p[name];

  it("hands out the variant's payload, also for overrides and the no-id fallback", () => {
    const doc: FlagDoc = {
      state: "on",
      variants: [
        { name: "a", weight: 1, payload: { type: "json", value: '{"n":1}' } },
        {
          name: "b",
          weight: 1,
          payload: { type: "string", value: "B" },
          overrides: [{ field: "prop:org", values: ["acme"] }],
        },
      ],
    };
    const r = evaluate(c(doc), "f", { now: NOW, properties: props({ org: "acme" }) });
    expect(r).toEqual({
      key: "f",
      value: true,
      variant: "b",
      reason: "TARGETING_MATCH",
      payload: { type: "string", value: "B" },
    });
    expect(evaluate(c(doc), "f", { now: NOW }).payload).toEqual({ type: "json", value: '{"n":1}' });
  });

  it("the include that matched serves its own variants, hashed by its group and stickiness", () => {
    const doc: FlagDoc = {
      state: "selective",
      conditions: [
        {
          type: "tags",
          tags: ["beta"],
          variants: [
            { name: "x", weight: 1 },
            { name: "y", weight: 1 },
          ],
          variantGroupId: "grp",
          variantStickiness: "prop:clientId",
        },
        { type: "percentage", percentage: 100 },
      ],
      variants: [{ name: "flag-level", weight: 1 }],
    };
    for (let i = 0; i < 100; i++) {
      const ctx = { tags: ["beta"], now: NOW, properties: props({ clientId: String(i) }) };
      const expected = (murmur3(`grp:${i}`, VARIANT_SEED) % 2) + 1 === 1 ? "x" : "y";
      expect(evaluate(c(doc), "f", ctx).variant).toBe(expected);
    }
    expect(evaluate(c(doc), "f", { userId: "u1", now: NOW }).variant).toBe("flag-level");
  });
});
