import { describe, expect, it } from "vitest";
import { CODE_DIGITS, codeHash, newCode, normaliseCode } from "./code.ts";
import { judge, SIGN_IN } from "./policy.ts";

describe("sign-in codes", () => {
  it("are six digits, spread over the whole range", () => {
    const firsts = new Set<string>();
    for (let i = 0; i < 2_000; i++) {
      const code = newCode();
      expect(code).toMatch(new RegExp(`^[0-9]{${CODE_DIGITS}}$`));
      firsts.add(code[0] ?? "");
    }
    // 2,000 draws miss a leading digit with probability ~10 × 0.9^2000: never, unless the draw is broken.
    expect(firsts.size).toBe(10);
  });

  it("accept what people type and nothing else", () => {
    expect(normaliseCode(" 123 456 ")).toBe("123456");
    expect(normaliseCode("123-456")).toBe("123456");
    expect(normaliseCode("12345")).toBeNull();
    expect(normaliseCode("12345a")).toBeNull();
    expect(normaliseCode("１２３４５６")).toBeNull();
  });

  it("hash by secret and challenge, so a table dump or a second person's code does not match", async () => {
    const h = await codeHash("k1", "c1", "123456");
    expect(await codeHash("k1", "c1", "123456")).toBe(h);
    expect(await codeHash("k2", "c1", "123456")).not.toBe(h);
    expect(await codeHash("k1", "c2", "123456")).not.toBe(h);
    expect(h).not.toContain("123456");
  });
});

describe("judge", () => {
  const now = new Date("2026-01-01T00:00:00Z");
  const fresh = { attempts: 0, expiresAt: new Date(now.getTime() + 60_000), usedAt: null };

  it("lets the right code in once, within its lifetime and attempts", () => {
    expect(judge(fresh, true, now)).toBe("ok");
    expect(judge(fresh, false, now)).toBe("wrong");
    expect(judge({ ...fresh, usedAt: now }, true, now)).toBe("missing");
    expect(judge(undefined, true, now)).toBe("missing");
    expect(judge({ ...fresh, expiresAt: now }, true, now)).toBe("expired");
    expect(judge({ ...fresh, attempts: SIGN_IN.maxAttempts }, true, now)).toBe("locked");
    expect(judge({ ...fresh, attempts: SIGN_IN.maxAttempts - 1 }, true, now)).toBe("ok");
  });
});
