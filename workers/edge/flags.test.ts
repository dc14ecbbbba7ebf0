import { describe, expect, it } from "vitest";
import { cacheKeyVariants, compile, contextFromRequest, evaluateAll } from "../../shared/flags/index.ts";
import type { Identity } from "../../shared/identity/index.ts";
import { evaluateAtEdge, keyedExposures } from "./flags.ts";

// "zeta" sorts last by key but comes first in the snapshot: keyed results keep snapshot order.
const compiled = compile({
  version: "v3",
  flags: {
    zeta: { state: "selective", conditions: [{ type: "percentage", percentage: 100 }], cacheKey: true },
    plain: { state: "on" },
    exp: {
      state: "on",
      variants: [
        { name: "a", weight: 1 },
        { name: "b", weight: 1 },
      ],
      cacheKey: true,
    },
  },
  segments: {},
});
const noKeyFlags = compile({ version: "v4", flags: { plain: { state: "on" } }, segments: {} });
const request = new Request("https://events.test/talks");
const who = { user: null, anonymousId: "anon-1" };

describe("evaluateAtEdge", () => {
  it("splits the key on cache-key flags only, deciding each as evaluateAll would", () => {
    const flags = evaluateAtEdge(compiled, request, who, new URL(request.url));
    const all = evaluateAll(compiled, contextFromRequest(request, { anonymousId: "anon-1" }));
    expect(flags.keyParts).toEqual(cacheKeyVariants(compiled, all));
    expect(Object.keys(flags.keyParts).sort()).toEqual(["flag:exp", "flag:zeta"]);
    expect(flags.keyed.results.map((r) => r.key)).toEqual(
      all.results.filter((r) => r.key !== "plain").map((r) => r.key),
    );
    expect(flags.keyed.index.get("exp")).toBe(flags.keyed.results.findIndex((r) => r.key === "exp"));
    expect(flags.keyed.subject).toBeNull();
    expect(flags.all).toEqual(all);
    // Read twice, decided once.
    expect(flags.all).toBe(flags.all);
  });

  it("shares one empty answer across requests when no flag splits the key", () => {
    const a = evaluateAtEdge(noKeyFlags, request, who);
    const b = evaluateAtEdge(noKeyFlags, new Request("https://events.test/"), {
      user: null,
      anonymousId: null,
    });
    expect(a.keyParts).toEqual({});
    expect(a.keyed.results).toEqual([]);
    expect(a.keyed.version).toBe("v4");
    expect(b.keyParts).toBe(a.keyParts);
    expect(a.all.results.map((r) => r.key)).toEqual(["plain"]);
    expect(a.all.subject).toBe("anon-1");
    expect(b.all.subject).toBeNull();
  });

  it("records exposures only for shown split experiments", () => {
    const flags = evaluateAtEdge(compiled, request, who);
    const exp = flags.keyed.results.find((r) => r.key === "exp");
    expect(exp?.reason).toBe("SPLIT");
    expect(keyedExposures(flags, new Set(["exp", "zeta"])).map((r) => r.key)).toEqual(["exp"]);
    expect(keyedExposures(flags, new Set())).toEqual([]);
  });
});

describe("site properties at the edge", () => {
  const byEvent = compile({
    version: "p1",
    flags: {
      "jsconf-theme": {
        state: "selective",
        conditions: [{ type: "constraint", field: "prop:event", operator: "IN", values: ["jsconf-2026"] }],
      },
      "new-app": {
        state: "selective",
        conditions: [
          { type: "constraint", field: "prop:appVersion", operator: "SEMVER_GTE", value: "3.0.0" },
        ],
      },
      partner: {
        state: "selective",
        conditions: [{ type: "constraint", field: "prop:emailDomain", operator: "IN", values: ["acme.com"] }],
      },
      staging: {
        state: "selective",
        conditions: [{ type: "constraint", field: "prop:environment", operator: "IN", values: ["staging"] }],
      },
    },
    segments: {},
  });
  const on = (req: Request, user: Identity | null = null, environment?: string) => {
    const all = evaluateAtEdge(byEvent, req, { user, anonymousId: "a" }, undefined, environment).all;
    return all.results.filter((r) => r.value).map((r) => r.key);
  };

  it("reads the event from the path, the app version from its header, the environment and the user's domain", () => {
    expect(on(new Request("https://events.test/events/jsconf-2026/talks"))).toEqual(["jsconf-theme"]);
    expect(on(new Request("https://events.test/events/djangocon"))).toEqual([]);
    expect(on(new Request("https://events.test/", { headers: { "x-app-version": "3.1.0" } }))).toEqual([
      "new-app",
    ]);
    const ada: Identity = { id: 1, tags: [], properties: { emailDomain: "acme.com" } };
    expect(on(new Request("https://events.test/"), ada)).toEqual(["partner"]);
    expect(on(new Request("https://events.test/"), null, "staging")).toEqual(["staging"]);
  });
});
