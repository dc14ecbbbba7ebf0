import { describe, expect, it } from "vitest";
import { keyring } from "./keyring.ts";
import { signValue, verifyValue } from "./sign.ts";

const old = "the-old-secret-of-enough-length";
const fresh = "the-new-secret-of-enough-length";

describe("keyring rotation", () => {
  it("accepts values signed with the current and the next key while a rotation runs, signs with the next", async () => {
    const before = await signValue({ uid: 1 }, old, 1_000);
    const during = keyring(old, fresh);
    expect(await verifyValue(before, during, 5_000, 2_000)).toEqual({ uid: 1 });
    const signed = await signValue({ uid: 2 }, during, 1_000);
    // Signed with the next key: a Worker that already finished the rotation accepts it, the old key alone does not.
    expect(await verifyValue(signed, keyring(fresh), 5_000, 2_000)).toEqual({ uid: 2 });
    expect(await verifyValue(signed, old, 5_000, 2_000)).toBeNull();
  });

  it("refuses the old key once the rotation is finished", async () => {
    const before = await signValue({ uid: 1 }, old, 1_000);
    expect(await verifyValue(before, keyring(fresh), 5_000, 2_000)).toBeNull();
    expect(keyring(fresh)).toEqual({ sign: fresh, verify: [fresh] });
  });
});
