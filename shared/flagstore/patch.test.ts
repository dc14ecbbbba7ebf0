import { describe, expect, it } from "vitest";
import { type FlagDoc, validateFlag } from "../flags/index.ts";
import { applyPatch, type FlagPatch, parsePatch } from "./patch.ts";

function patched(prev: FlagDoc | null, patch: FlagPatch): FlagDoc {
  const out = applyPatch(prev, parsePatch(patch));
  if ("error" in out) throw new Error(out.error);
  expect(validateFlag(out.doc)).toEqual([]);
  return out.doc;
}

describe("applyPatch", () => {
  it("turns tags into a tags condition, making a new flag selective", () => {
    expect(patched(null, { tags: ["staff"] })).toEqual({
      state: "selective",
      conditions: [{ type: "tags", tags: ["staff"] }],
    });
  });

  it("replaces one kind and keeps the others, targets staying before the percentage", () => {
    const prev: FlagDoc = {
      state: "selective",
      conditions: [
        { type: "users", ids: ["1"] },
        { type: "percentage", percentage: 10, groupId: "g" },
        { type: "tags", tags: ["old"] },
      ],
    };
    expect(patched(prev, { tags: ["staff", "beta"], countries: ["GB"] }).conditions).toEqual([
      { type: "users", ids: ["1"] },
      { type: "country", countries: ["GB"] },
      { type: "percentage", percentage: 10, groupId: "g" },
      { type: "tags", tags: ["staff", "beta"] },
    ]);
    // [] and null remove a kind; removing the last condition drops the list.
    expect(
      patched({ state: "selective", conditions: [{ type: "users", ids: ["1"] }] }, { users: [] }),
    ).toEqual({
      state: "selective",
    });
  });

  it("raises a percentage keeping its cohort (groupId, stickiness) and drops ranges", () => {
    const prev: FlagDoc = {
      state: "selective",
      conditions: [{ type: "percentage", range: [0, 25], groupId: "checkout", stickiness: "tenantId" }],
    };
    expect(patched(prev, { percentage: 50 }).conditions).toEqual([
      { type: "percentage", percentage: 50, groupId: "checkout", stickiness: "tenantId" },
    ]);
    expect(patched(prev, { stickiness: "userId" }).conditions).toEqual([
      { type: "percentage", range: [0, 25], groupId: "checkout", stickiness: "userId" },
    ]);
    expect(patched(prev, { percentage: null })).toEqual({ state: "selective" });
    expect(applyPatch({ state: "on" }, { stickiness: "userId" })).toEqual({
      error: "stickiness needs a percentage",
    });
  });

  it("takes any stickiness the flag validator accepts (a site property, random)", () => {
    const prev: FlagDoc = { state: "selective", conditions: [{ type: "percentage", percentage: 10 }] };
    expect(patched(prev, { stickiness: "prop:plan" }).conditions).toEqual([
      { type: "percentage", percentage: 10, stickiness: "prop:plan" },
    ]);
    expect(patched(prev, { variantStickiness: "random" }).variantStickiness).toBe("random");
    const bad = applyPatch(prev, parsePatch({ stickiness: "currentTime" }));
    expect("doc" in bad && validateFlag(bad.doc)).toEqual([
      expect.stringMatching(/^conditions\[0\]\.stickiness must be default, random or/),
    ]);
  });

  it("narrows an everyone-on flag but leaves an off flag off (staged)", () => {
    expect(patched({ state: "on" }, { percentage: 25 }).state).toBe("selective");
    expect(patched({ state: "off" }, { percentage: 25 }).state).toBe("off");
    expect(patched({ state: "on" }, { variants: [{ name: "a", weight: 1 }] }).state).toBe("on");
    expect(patched({ state: "off" }, { state: "selective", tags: ["x"] }).state).toBe("selective");
  });

  it("replaceIncludes keeps exclusions only; exclude edits exclusions per kind", () => {
    const prev: FlagDoc = {
      state: "selective",
      conditions: [
        { type: "tags", tags: ["bot"], exclude: true },
        { type: "users", ids: ["1"] },
        { type: "percentage", percentage: 5 },
      ],
    };
    expect(patched(prev, { replaceIncludes: true, users: ["12"] }).conditions).toEqual([
      { type: "tags", tags: ["bot"], exclude: true },
      { type: "users", ids: ["12"] },
    ]);
    expect(patched(prev, { exclude: { tags: ["spam"], countries: ["FR"] } }).conditions).toEqual([
      { type: "tags", tags: ["spam"], exclude: true },
      { type: "users", ids: ["1"] },
      { type: "percentage", percentage: 5 },
      { type: "country", countries: ["FR"], exclude: true },
    ]);
    expect(patched(prev, { exclude: { tags: null } }).conditions?.some((c) => c.exclude)).toBe(false);
  });

  it("maps segments to one condition each, and sets variants, cacheKey, description, requires", () => {
    const doc = patched(
      { state: "on", description: "old", cacheKey: true },
      {
        segments: ["beta", "staff"],
        variants: [
          { name: "control", weight: 50 },
          { name: "bold", weight: 50 },
        ],
        description: null,
        cacheKey: false,
        requires: [{ flag: "checkout" }],
      },
    );
    expect(doc).toEqual({
      state: "selective",
      conditions: [
        { type: "segment", segment: "beta" },
        { type: "segment", segment: "staff" },
      ],
      variants: [
        { name: "control", weight: 50 },
        { name: "bold", weight: 50 },
      ],
      requires: [{ flag: "checkout" }],
    });
    expect(patched(doc, { variants: null, requires: [] })).not.toHaveProperty("variants");
  });

  it("never mutates the stored document", () => {
    const prev: FlagDoc = { state: "on", conditions: [{ type: "tags", tags: ["a"] }] };
    patched(prev, { tags: ["b"], percentage: 5 });
    expect(prev).toEqual({ state: "on", conditions: [{ type: "tags", tags: ["a"] }] });
  });
});

describe("parsePatch", () => {
  it("refuses unknown fields and wrong types with a 400 naming them", () => {
    for (const [body, word] of [
      [{ percent: 25 }, "percent"],
      [{ percentage: 250 }, "percentage"],
      [{ tags: "staff" }, "tags"],
      [{ state: "maybe" }, "state"],
      [{ exclude: { tag: ["x"] } }, "exclude"],
      ["nope", "body"],
    ] as const) {
      try {
        parsePatch(body);
        expect.unreachable(JSON.stringify(body));
      } catch (error) {
        expect((error as { status: number }).status).toBe(400);
        expect((error as Error).message).toContain(word);
      }
    }
  });
});
