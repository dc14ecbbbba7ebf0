import { describe, expect, it } from "vitest";
import { diffDocs } from "./diff.ts";

describe("diffDocs", () => {
  it("names each changed field by its path", () => {
    const before = { state: "off", conditions: [{ type: "tags", tags: ["staff"] }] };
    const after = {
      state: "selective",
      conditions: [{ type: "tags", tags: ["staff", "beta"] }],
      cacheKey: true,
    };
    expect(diffDocs(before, after)).toEqual([
      { path: "cacheKey", after: "true" },
      { path: "conditions[0].tags", before: '["staff"]', after: '["staff","beta"]' },
      { path: "state", before: '"off"', after: '"selective"' },
    ]);
  });

  it("shows a created or deleted document whole, and nothing when equal", () => {
    expect(diffDocs(null, { state: "on" })).toEqual([{ path: "", before: "null", after: '{"state":"on"}' }]);
    expect(diffDocs({ state: "on" }, null)).toEqual([{ path: "", before: '{"state":"on"}', after: "null" }]);
    expect(diffDocs({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
  });

  it("replaces an array that changed length whole", () => {
    expect(diffDocs({ v: [1] }, { v: [1, 2] })).toEqual([{ path: "v", before: "[1]", after: "[1,2]" }]);
  });
});
