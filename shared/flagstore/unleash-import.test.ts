// The Unleash importer beyond the specification: file shapes, renames, and every note it owes the person importing.
import { describe, expect, it } from "vitest";
import { compile, evaluate, validateSnapshot } from "../flags/index.ts";
import { fromUnleash } from "./unleash-import.ts";

const rollout = (rollout: string, groupId: string, extra: object = {}) => ({
  name: "flexibleRollout",
  parameters: { rollout, stickiness: "default", groupId },
  ...extra,
});

describe("fromUnleash", () => {
  it("reads an admin export for one environment, with dependencies and ordered strategies", () => {
    const data = {
      features: [{ name: "checkout" }, { name: "checkout-v2", description: "new flow" }],
      featureStrategies: [
        { featureName: "checkout-v2", sortOrder: 2, ...rollout("25", "checkout-v2") },
        { featureName: "checkout-v2", sortOrder: 1, name: "userWithId", parameters: { userIds: "7, 9" } },
        { featureName: "checkout-v2", sortOrder: 3, name: "default", parameters: {}, disabled: true },
        { featureName: "checkout", name: "default", parameters: {} },
      ],
      featureEnvironments: [
        { featureName: "checkout", environment: "production", enabled: true },
        { featureName: "checkout-v2", environment: "production", enabled: true, variants: [] },
      ],
      dependencies: [{ feature: "checkout-v2", dependencies: [{ feature: "checkout" }] }],
      segments: [],
      tagTypes: [],
    };
    const r = fromUnleash(data);
    expect(r.flags).toEqual({
      checkout: { state: "on" },
      "checkout-v2": {
        state: "selective",
        description: "new flow",
        conditions: [
          { type: "users", ids: ["7", "9"] },
          { type: "percentage", percentage: 25 },
        ],
        requires: [{ flag: "checkout" }],
      },
    });
    expect(r.notes).toEqual([{ subject: "flag checkout-v2", message: "1 disabled strategies left out" }]);
    const two = {
      ...data,
      featureEnvironments: [...data.featureEnvironments, { featureName: "checkout", environment: "dev" }],
    };
    expect(() => fromUnleash(two)).toThrow(/several environments \(production, dev\).*--environment/);
    expect(fromUnleash(two, { environment: "dev" }).flags.checkout?.state).toBe("off");
  });

  it("keeps buckets when a name is not a valid key: the key changes, the hashing name does not", () => {
    const r = fromUnleash({
      features: [
        {
          name: "new checkout/flow",
          enabled: true,
          strategies: [rollout("50", "new checkout/flow")],
          variants: [
            { name: "on", weight: 1, payload: { type: "json", value: "{oops" } },
            { name: "b", weight: 1, payload: { type: "string", value: "x".repeat(2000) } },
          ],
        },
      ],
    });
    expect(Object.keys(r.flags)).toEqual(["new-checkout-flow"]);
    const doc = r.flags["new-checkout-flow"];
    expect(doc?.groupId).toBe("new checkout/flow");
    expect(doc?.conditions).toEqual([{ type: "percentage", percentage: 50 }]);
    expect(doc?.variants).toEqual([
      { name: "on-variant", weight: 1, payload: { type: "string", value: "{oops" } },
      { name: "b", weight: 1 },
    ]);
    expect(r.notes.map((n) => n.message)).toEqual([
      'renamed from "new checkout/flow" (not a valid key here); buckets still follow the old name',
      'variant "on" renamed "on-variant" ("on", "off" and ; = , % are reserved here)',
      'variant "on-variant": payload of type "json" does not hold a valid json; kept as a string',
      'variant "b": payload longer than 1024 characters (payloads travel in a request header); left out',
    ]);
    // The same visitors get the same answers as under the old name.
    const c = compile({ version: "x", flags: r.flags, segments: {} });
    const plain = compile({
      version: "y",
      flags: { "old-name": { ...doc, groupId: "new checkout/flow" } } as never,
      segments: {},
    });
    for (let i = 0; i < 50; i++) {
      const ctx = { userId: `u${i}`, now: 0 };
      expect(evaluate(c, "new-checkout-flow", ctx).variant).toBe(evaluate(plain, "old-name", ctx).variant);
    }
  });

  it("says what cannot be expressed and leaves it out without widening anyone's access", () => {
    const r = fromUnleash({
      features: [
        {
          name: "mixed",
          enabled: true,
          strategies: [
            { name: "applicationHostname", parameters: { hostNames: "web-1" } },
            { name: "myCustomStrategy", parameters: {} },
            {
              name: "default",
              constraints: [{ contextName: "appVersion", operator: "SEMVER_GT", value: "v2.0.0" }],
            },
            { name: "default", segments: [1] },
            {
              name: "default",
              constraints: [{ contextName: "n", operator: "NUM_GT", value: "many", inverted: true }],
            },
          ],
        },
      ],
      segments: [{ id: 1, name: "Beta testers" }],
    });
    expect(r.flags.mixed?.conditions).toEqual([
      { type: "constraint", field: "prop:appVersion", operator: "SEMVER_GT", value: "2.0.0" },
      { type: "percentage", percentage: 100 },
    ]);
    expect(r.notes.map((n) => `${n.subject}: ${n.message}`)).toEqual([
      "segment beta-testers: segment 1 comes without its constraints (admin exports name segments only): strategies using it are left out; import the client API's output instead",
      "flag mixed: strategy 1 (applicationHostname): applicationHostname matches the server's own host name, which has no equivalent at the edge",
      "flag mixed: strategy 1 (applicationHostname): left out, so it switches the flag on for nobody here",
      'flag mixed: strategy 2 (myCustomStrategy): custom strategy "myCustomStrategy" has no equivalent here (Unleash needs each SDK to implement it)',
      "flag mixed: strategy 2 (myCustomStrategy): left out, so it switches the flag on for nobody here",
      "flag mixed: strategy 4 (default): segment 1 never matches, so this strategy never does",
      "flag mixed: strategy 4 (default): left out, so it switches the flag on for nobody here",
      'flag mixed: strategy 5 (default): constraint n NUM_GT: "many" is not a number, so Unleash treats it as always true; translated as such',
    ]);
    expect(validateSnapshot({ flags: r.flags, segments: r.segments })).toEqual([]);
  });

  it("refuses files that are not Unleash's", () => {
    for (const junk of [null, [], "x", { flags: {} }]) expect(() => fromUnleash(junk)).toThrow(/Unleash/);
  });
});
