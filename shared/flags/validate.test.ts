// Rule-document validation messages, including cross-document references and cycles.
import { describe, expect, it } from "vitest";
import { validateFlag, validateSegment } from "./validate.ts";
import { validateSnapshot } from "./validate-snapshot.ts";

describe("validateFlag", () => {
  it("accepts a full, well-formed document", () => {
    expect(
      validateFlag({
        state: "selective",
        description: "new talk page",
        conditions: [
          { type: "users", ids: ["u1"] },
          { type: "percentage", percentage: 12.5, stickiness: "anonymousId" },
          { type: "ip", cidrs: ["10.0.0.0/8", "2001:db8::/32"], exclude: true },
          { type: "header", name: "x-beta", operator: "IN", values: ["1"] },
          { type: "time", from: "2026-01-01T00:00:00Z", until: 1_900_000_000_000 },
          {
            type: "all",
            conditions: [
              { type: "country", countries: ["FI"] },
              { type: "host", hosts: ["*.example.com"] },
            ],
          },
          { type: "constraint", field: "header:x-app", operator: "SEMVER_GTE", value: "2.0.0" },
        ],
        variants: [
          { name: "a", weight: 1 },
          { name: "b", weight: 1, users: ["qa"] },
        ],
        requires: [{ flag: "checkout", variants: ["x"] }],
        cacheKey: true,
        meta: { owner: "web" },
      }),
    ).toEqual([]);
  });

  it("returns precise messages with paths", () => {
    const errs = validateFlag({
      state: "maybe",
      conditions: [
        { type: "users", ids: ["ok"] },
        { type: "tags", tags: [""] },
        { type: "percentage", percentage: 140 },
        { type: "ip", cidrs: ["10.0.0.0/33"] },
        { type: "time", from: "2026-02-01", until: "2026-01-01" },
        { type: "all", conditions: [{ type: "users", ids: ["x"], exclude: true }] },
        { type: "header", name: "bad name", operator: "LIKE" },
        { type: "wat" },
      ],
      variants: [
        { name: "on", weight: 1 },
        { name: "a", weight: -1 },
      ],
      colour: "red",
    });
    expect(errs).toEqual(
      expect.arrayContaining([
        "state must be off, on or selective",
        "conditions[1].tags[0] must be a non-empty string",
        "conditions[2].percentage must be 0..100",
        'conditions[3].cidrs[0] must be an IPv4/IPv6 address or CIDR: "10.0.0.0/33"',
        "conditions[4].from must be before until",
        "conditions[5].conditions[0].exclude is only allowed on top-level conditions",
        "conditions[6].name must be a header name",
        expect.stringMatching(/^conditions\[6\]\.operator must be one of IN, NOT_IN/),
        expect.stringMatching(/^conditions\[7\]\.type must be one of/),
        'variants[0].name must be 1-32 letters, digits, _ or - (not "on"/"off")',
        "variants[1].weight must be an integer 0..1000000",
        "colour is not a known field",
      ]),
    );
  });

  it("never throws on hostile input", () => {
    for (const junk of [
      null,
      undefined,
      1,
      "x",
      [],
      { state: "on", conditions: "no" },
      { state: "on", conditions: [null] },
    ]) {
      expect(Array.isArray(validateFlag(junk))).toBe(true);
    }
  });
});

describe("validateSegment / validateSnapshot", () => {
  it("rejects segments that nest segments", () => {
    expect(validateSegment({ conditions: [{ type: "segment", segment: "x" }] }, "segments.a")).toContain(
      "segments.a.conditions[0] must not reference another segment",
    );
  });

  it("checks references and cycles across the snapshot", () => {
    const errs = validateSnapshot({
      flags: {
        a: { state: "on", requires: [{ flag: "b" }] },
        b: { state: "on", requires: [{ flag: "a" }] },
        c: { state: "selective", conditions: [{ type: "segment", segment: "ghost" }] },
        "Bad Key": { state: "on" },
      },
      segments: {},
    });
    expect(errs).toEqual(
      expect.arrayContaining([
        "flags.a.requires forms a cycle",
        "flags.b.requires forms a cycle",
        'flags.c references unknown segment "ghost"',
        expect.stringMatching(/^flags\.Bad Key: key must be/),
      ]),
    );
    expect(validateSnapshot({ flags: { a: { state: "on" } }, segments: {} })).toEqual([]);
  });
});
