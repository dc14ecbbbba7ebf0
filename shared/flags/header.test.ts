// The signed flags header: compact encoding, HMAC verification, replay window, tampering.
import { describe, expect, it } from "vitest";
import { compile } from "./compile.ts";
import { evaluateAll } from "./evaluate.ts";
import { decodeFlags, encodeFlags } from "./header.ts";

const NOW = 1_780_000_000_000;
const compiled = compile({
  version: "abc123",
  flags: {
    "new-talk-page": { state: "on" },
    checkout: { state: "on", variants: [{ name: "b", weight: 1 }] },
    "checkout:express": { state: "off" },
    beta: { state: "selective", conditions: [{ type: "tags", tags: ["staff"] }] },
  },
  segments: {},
});
const flags = evaluateAll(compiled, { userId: "u1", tags: ["staff"], now: NOW });

describe("flags header", () => {
  it("encodes compactly and round-trips value, variant and reason", () => {
    const payload = encodeFlags(flags, NOW / 1000);
    expect(payload).toBe(
      "v=abc123;t=1780000000;new-talk-page=1.S;checkout=b.P;checkout:express=0.X;beta=1.T",
    );
    const back = decodeFlags(payload);
    expect(back?.issuedAt).toBe(1_780_000_000);
    expect(back?.flags.results).toEqual(flags.results);
    expect(back?.flags.index.get("beta")).toBe(3);
  });

  it("carries Unicode keys, any variant name and payloads as ASCII, and gets them back exactly", () => {
    const odd = compile({
      version: "v2",
      flags: {
        "Feature.UTF-8.😊_φriend": { state: "on" },
        hero: {
          state: "on",
          variants: [
            { name: "bold.v2 ü", weight: 1, payload: { type: "json", value: '{"a":"x;y=1,2.5%"}' } },
          ],
        },
        num: { state: "on", variants: [{ name: "n", weight: 1, payload: { type: "number", value: "1.2" } }] },
      },
      segments: {},
    });
    const all = evaluateAll(odd, { userId: "u1", now: NOW });
    const payload = encodeFlags(all, NOW / 1000);
    expect(payload).toMatch(/^[\x20-\x7e]+$/);
    expect(payload).toContain(";num=n.P.n1%2e2");
    const back = decodeFlags(payload);
    expect(back?.flags.results).toEqual(all.results);
    expect(back?.flags.results[1]).toEqual({
      key: "hero",
      value: true,
      variant: "bold.v2 ü",
      reason: "SPLIT",
      payload: { type: "json", value: '{"a":"x;y=1,2.5%"}' },
    });
  });

  it("decode rejects malformed payloads", () => {
    for (const bad of [
      "",
      "t=1;v=a",
      "v=a;t=x",
      "v=a;t=1;k=1",
      "v=a;t=1;k=1.Q",
      "v=a;t=1;_k=1.S",
      "v=a;t=1;k=x.S.qabc",
      "v=a;t=1;k=x.S.sa.b",
      "v=a;t=1;k=%zz.S",
      "v=a;t=1;k=1.S;k=0.S",
      "v=a b;t=1",
    ]) {
      expect(decodeFlags(bad)).toBeNull();
    }
  });
});
