// Rule-document validation messages, including cross-document references and cycles.
import { describe, expect, it } from "vitest";
import { isValidFlagKey, validateFlag, validateSegment } from "./validate.ts";
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
        'variants[0].name must be 1-100 characters without ; = , % or a leading dot (not "on"/"off")',
        "variants[1].weight must be an integer 0..1000000",
        "colour is not a known field",
      ]),
    );
  });

  it("accepts keys in any script and the Unleash-compatible fields; refuses what cannot travel", () => {
    for (const key of ["Feature.A", "Feature.UTF-8.😊_φriend_你好_🌍", "checkout:New.Button", "a~b"])
      expect(isValidFlagKey(key), key).toBe(true);
    for (const key of ["_audit", "a b", "a;b", "a=b", "a,b", "a%b", "a/b", "", "a\u200Eb", "x".repeat(101)])
      expect(isValidFlagKey(key), key).toBe(false);
    expect(
      validateFlag({
        state: "selective",
        groupId: "old-name",
        conditions: [
          {
            type: "percentage",
            percentage: 50,
            stickiness: "prop:customField",
            variants: [{ name: "parent.variant", weight: 1, payload: { type: "number", value: "1.2" } }],
            variantGroupId: "a",
            variantStickiness: "random",
          },
          { type: "constraint", field: "prop:email", operator: "REGEX", value: "^[[:alpha:]]+@" },
        ],
        variants: [
          { name: "A b", weight: 1, overrides: [{ field: "prop:org", values: ["acme"] }] },
          { name: "c", weight: 1, payload: { type: "json", value: "[1]" } },
        ],
        variantStickiness: "header:x-device",
      }),
    ).toEqual([]);
  });

  it("explains bad payloads, patterns, stickiness and misplaced variants", () => {
    const errs = validateFlag({
      state: "selective",
      conditions: [
        { type: "constraint", field: "prop:x", operator: "REGEX", value: "^(?=a)" },
        { type: "users", ids: ["u"], exclude: true, variants: [{ name: "a", weight: 1 }] },
        { type: "all", conditions: [{ type: "users", ids: ["u"], variants: [{ name: "a", weight: 1 }] }] },
        { type: "percentage", percentage: 5, stickiness: "currentTime" },
      ],
      variants: [
        { name: "a", weight: 1, payload: { type: "json", value: "{" } },
        { name: "b", weight: 1, payload: { type: "number", value: "many" } },
        { name: "c", weight: 1, payload: { type: "xml", value: "x".repeat(2000) } },
        { name: "d", weight: 1, overrides: [{ field: "nope", values: ["x"] }] },
      ],
    });
    expect(errs).toEqual(
      expect.arrayContaining([
        "conditions[0].value must be an RE2 regular expression (lookaround is not supported)",
        "conditions[1] may carry variants only as a top-level include",
        "conditions[2].conditions[0] may carry variants only as a top-level include",
        expect.stringMatching(/^conditions\[3\]\.stickiness must be default, random or/),
        "variants[0].payload.value must be valid JSON",
        "variants[1].payload.value must be a number",
        "variants[2].payload.type must be one of string, json, csv, number",
        "variants[2].payload.value must be a string of at most 1024 characters",
        expect.stringMatching(/^variants\[3\]\.overrides\[0\]\.field must be/),
      ]),
    );
    const cached = validateFlag({
      state: "on",
      cacheKey: true,
      variants: [{ name: "a", weight: 1, payload: { type: "string", value: "1" } }],
      conditions: [{ type: "tags", tags: ["x"], variants: [{ name: "a", weight: 1 }] }],
    });
    expect(cached).toEqual([
      'flag: variant "a" has different payloads, which a cache-key flag cannot tell apart',
    ]);
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
    const big = {
      state: "on",
      variants: [{ name: "v", weight: 1, payload: { type: "string", value: "x".repeat(1000) } }],
    };
    const many = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`f${i}`, big]));
    expect(validateSnapshot({ flags: many, segments: {} })).toEqual([
      "variant payloads add up to 17000 characters per request; keep them under 16384",
    ]);
  });
});
