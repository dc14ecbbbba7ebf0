import { describe, expect, it } from "vitest";
import type { FlagDoc } from "../flags/index.ts";
import { applyPatch } from "../flagstore/index.ts";
import { fieldsOf, flagKind, patchFromFields, splitList } from "./flag-form.ts";

const doc: FlagDoc = {
  state: "selective",
  description: "New CTA",
  conditions: [
    { type: "tags", tags: ["staff", "beta"] },
    { type: "country", countries: ["FR"], exclude: true },
    { type: "percentage", percentage: 25 },
  ],
  variants: [
    { name: "control", weight: 50 },
    { name: "bold", weight: 50, payload: { type: "string", value: "Register now" } },
  ],
  cacheKey: true,
};

describe("the flag form", () => {
  it("shows a document as fields", () => {
    expect(fieldsOf(doc)).toEqual({
      description: "New CTA",
      users: "",
      tags: "staff, beta",
      tenants: "",
      percentage: "25",
      variants: "control:50, bold:50",
      cacheKey: "on",
    });
  });

  it("reads the same fields back to the same document (what the form has no field for is kept)", () => {
    const r = patchFromFields(fieldsOf(doc), doc);
    if (!("patch" in r)) throw new Error(r.errors.join("; "));
    expect(applyPatch(doc, r.patch)).toEqual({ doc });
  });

  it("empties a field to remove that target, and reports what cannot be read", () => {
    const r = patchFromFields({ ...fieldsOf(doc), tags: " ", users: "7,  42", cacheKey: "" }, doc);
    if (!("patch" in r)) throw new Error("expected a patch");
    const next = applyPatch(doc, r.patch);
    expect("doc" in next && next.doc.conditions?.length).toBe(3);
    // Targeted people go before the percentage (matched as TARGETING_MATCH, not SPLIT).
    expect("doc" in next && next.doc.conditions?.[1]).toEqual({ type: "users", ids: ["7", "42"] });
    expect("doc" in next && next.doc.cacheKey).toBeUndefined();
    expect(patchFromFields({ percentage: "lots", variants: "a:1, b" }, null)).toEqual({
      errors: [
        'percentage: "lots" is not a number from 0 to 100',
        'variants: "b" is not name:weight (e.g. control:50, bold:50)',
      ],
    });
  });

  it("splits lists on commas and spaces", () => {
    expect(splitList(" a, b  c,,")).toEqual(["a", "b", "c"]);
  });

  it("names the kind of flag", () => {
    expect(flagKind(doc)).toBe("experiment (2 variants)");
    expect(flagKind({ state: "selective", conditions: [{ type: "percentage", percentage: 10 }] })).toBe(
      "rollout 10 %",
    );
    expect(flagKind({ state: "selective", conditions: [{ type: "tags", tags: ["x"] }] })).toBe("targeted");
    expect(flagKind({ state: "on" })).toBe("switch");
  });
});
