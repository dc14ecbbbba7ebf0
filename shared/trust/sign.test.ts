import { describe, expect, it } from "vitest";
import { signValue, verifyValue } from "./sign.ts";

const secret = "a-test-secret-of-enough-length";

describe("signValue/verifyValue", () => {
  it("round-trips a payload", async () => {
    const v = await signValue({ uid: 7, tags: ["staff"] }, secret, 1_000);
    expect(await verifyValue(v, secret, 5_000, 2_000)).toEqual({ uid: 7, tags: ["staff"] });
  });

  it("refuses a tampered body, a wrong secret and an old value", async () => {
    const v = await signValue({ uid: 7 }, secret, 1_000);
    const [body, mac] = v.split(".");
    const forged = `${btoa(JSON.stringify({ p: { uid: 1 }, t: 1_000 })).replace(/=+$/, "")}.${mac}`;
    expect(await verifyValue(forged, secret, 5_000, 2_000)).toBeNull();
    expect(await verifyValue(`${body}.AAAA`, secret, 5_000, 2_000)).toBeNull();
    expect(await verifyValue(v, "another-secret-of-enough-length", 5_000, 2_000)).toBeNull();
    expect(await verifyValue(v, secret, 5_000, 10_000)).toBeNull();
    expect(await verifyValue("garbage", secret, 5_000, 2_000)).toBeNull();
    expect(await verifyValue(null, secret, 5_000, 2_000)).toBeNull();
  });
});
