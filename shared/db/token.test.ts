import { describe, expect, it } from "vitest";
import { keyring } from "../trust/index.ts";
import { decodeToken, encodeToken, mergeTokens, TOKEN_TTL_MS, tokenFromJson } from "./token.ts";

const SECRET = "test-secret-0123456789";
const NOW = 1_790_000_000_000;

describe("read-your-writes token", () => {
  it("round-trips and stays cookie-safe and short", async () => {
    const text = await encodeToken({ lsn: "16/B374D848", at: NOW }, SECRET);
    expect(text).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(text.length).toBeLessThan(60);
    expect(await decodeToken(text, SECRET, { now: NOW + 1000 })).toEqual({ lsn: "16/B374D848", at: NOW });
  });

  it("rejects a token whose LSN or time was edited", async () => {
    const text = await encodeToken({ lsn: "0/1000", at: NOW }, SECRET);
    const [v, lsn, at, sig] = text.split(".");
    expect(await decodeToken([v, "0-1", at, sig].join("."), SECRET, { now: NOW })).toBeNull();
    expect(
      await decodeToken([v, lsn, (NOW + 1).toString(36), sig].join("."), SECRET, { now: NOW }),
    ).toBeNull();
    expect(await decodeToken(text, "another-secret-0123456", { now: NOW })).toBeNull();
    expect(await decodeToken(`${text.slice(0, -2)}AA`, SECRET, { now: NOW })).toBeNull();
  });

  it("keeps tokens valid across an EDGE_SECRET rotation: both keys verify, the next one signs", async () => {
    const next = "next-secret-0123456789";
    const old = await encodeToken({ lsn: "0/1000", at: NOW }, SECRET);
    const during = keyring(SECRET, next);
    expect(await decodeToken(old, during, { now: NOW })).toEqual({ lsn: "0/1000", at: NOW });
    const fresh = await encodeToken({ lsn: "0/2000", at: NOW }, during);
    expect(await decodeToken(fresh, next, { now: NOW })).toEqual({ lsn: "0/2000", at: NOW });
    expect(await decodeToken(fresh, SECRET, { now: NOW })).toBeNull();
  });

  it("rejects garbage without throwing", async () => {
    for (const bad of [
      "",
      "1",
      "1.x.y.z",
      "2.0-1.abc.AAAA",
      "1.0-1.abc.!!!!",
      null,
      undefined,
      "x".repeat(500),
    ]) {
      expect(await decodeToken(bad, SECRET, { now: NOW })).toBeNull();
    }
  });

  it("expires after the TTL and refuses tokens from the future", async () => {
    const text = await encodeToken({ lsn: "0/1", at: NOW }, SECRET);
    expect(await decodeToken(text, SECRET, { now: NOW + TOKEN_TTL_MS })).not.toBeNull();
    expect(await decodeToken(text, SECRET, { now: NOW + TOKEN_TTL_MS + 1 })).toBeNull();
    expect(await decodeToken(text, SECRET, { now: NOW + 5000, maxAgeMs: 4000 })).toBeNull();
    expect(await decodeToken(text, SECRET, { now: NOW - 60_000 })).toBeNull();
  });

  it("refuses short secrets", async () => {
    await expect(encodeToken({ lsn: "0/1", at: NOW }, "short")).rejects.toThrow(/16 characters/);
  });

  it("validates the plain job-message form", () => {
    const token = { lsn: "1/2", at: NOW };
    expect(tokenFromJson(JSON.parse(JSON.stringify(token)))).toEqual(token);
    expect(tokenFromJson({ lsn: "nope", at: NOW })).toBeNull();
    expect(tokenFromJson({ lsn: "1/2", at: "now" })).toBeNull();
    expect(tokenFromJson(null)).toBeNull();
    expect(tokenFromJson(token, { now: NOW + TOKEN_TTL_MS + 1 })).toBeNull();
  });

  it("merges to the later position and time", () => {
    expect(mergeTokens({ lsn: "9/0", at: 5 }, { lsn: "10/0", at: 3 })).toEqual({ lsn: "10/0", at: 5 });
    expect(mergeTokens(null, { lsn: "1/0", at: 1 })).toEqual({ lsn: "1/0", at: 1 });
    expect(mergeTokens(undefined, null)).toBeNull();
  });
});
