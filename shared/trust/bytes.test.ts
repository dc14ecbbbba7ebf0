import { describe, expect, it } from "vitest";
import { constantTimeEqual, fromBase64Url, toBase64Url } from "./bytes.ts";

describe("base64url", () => {
  it("round-trips every length without padding or + and /", () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 31) % 256);
      const text = toBase64Url(bytes);
      expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
      expect(fromBase64Url(text)).toEqual(bytes);
    }
    expect(toBase64Url(Uint8Array.of(0xfb, 0xff))).toBe("-_8");
  });

  it("refuses what is not unpadded base64url", () => {
    for (const bad of ["ab+c", "ab/c", "abc=", "ab c", "a", "abcde", "é"])
      expect(fromBase64Url(bad)).toBeNull();
  });
});

describe("constantTimeEqual", () => {
  it("is equality for strings and bytes", () => {
    expect(constantTimeEqual("token-1", "token-1")).toBe(true);
    expect(constantTimeEqual("token-1", "token-2")).toBe(false);
    expect(constantTimeEqual("token", "token-1")).toBe(false);
    expect(constantTimeEqual("token-1", "token")).toBe(false);
    expect(constantTimeEqual("", "")).toBe(true);
    expect(constantTimeEqual("x", "")).toBe(false);
    expect(constantTimeEqual("", "x")).toBe(false);
    expect(constantTimeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 3))).toBe(true);
    expect(constantTimeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 4))).toBe(false);
    // A prefix repeated must not pass for the whole (the loop wraps around the shorter value).
    expect(constantTimeEqual("abab", "ab")).toBe(false);
    expect(constantTimeEqual("é", "é")).toBe(true);
  });
});
