// The stored form of the switch: a missing key is off, anything malformed is refused (the caller keeps its copy).
import { describe, expect, it } from "vitest";
import { parseReadOnlyState, READ_ONLY_OFF, type ReadOnlyState } from "./state.ts";

const ON: ReadOnlyState = {
  on: true,
  reason: "DB upgrade",
  retryAfter: 600,
  since: "2026-11-23T10:00:00.000Z",
  by: "ops",
};

describe("parseReadOnlyState", () => {
  it("treats a missing key as off and rejects malformed values", () => {
    expect(parseReadOnlyState(null)).toEqual(READ_ONLY_OFF);
    expect(parseReadOnlyState(JSON.stringify(ON))).toEqual(ON);
    expect(parseReadOnlyState("{not json")).toBeNull();
    expect(parseReadOnlyState(JSON.stringify({ on: "yes" }))).toBeNull();
  });
});
