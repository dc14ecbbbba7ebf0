import { describe, expect, it } from "vitest";
import { TEST_KEYS, verifyTurnstile } from "./index.ts";

const config = { secret: TEST_KEYS.passSecret, verifyUrl: "https://siteverify.test/v0" };

function fake(answer: unknown, status = 200) {
  const seen: URLSearchParams[] = [];
  const fetchImpl = (async (_url: string, init: RequestInit) => {
    seen.push(new URLSearchParams(String(init.body)));
    return Response.json(answer, { status });
  }) as unknown as typeof fetch;
  return { seen, fetchImpl };
}

describe("verifyTurnstile", () => {
  it("posts secret, token and the visitor's address, and accepts a success", async () => {
    const f = fake({ success: true, "error-codes": [] });
    expect(
      await verifyTurnstile(config, TEST_KEYS.dummyToken, "203.0.113.9", { fetch: f.fetchImpl }),
    ).toEqual({
      ok: true,
    });
    expect(Object.fromEntries(f.seen[0] ?? [])).toEqual({
      secret: TEST_KEYS.passSecret,
      response: TEST_KEYS.dummyToken,
      remoteip: "203.0.113.9",
    });
  });

  it("refuses a missing token without asking, and says why siteverify refused", async () => {
    const f = fake({ success: false, "error-codes": ["invalid-input-response"] });
    expect(await verifyTurnstile(config, undefined, null, { fetch: f.fetchImpl })).toMatchObject({
      ok: false,
    });
    expect(f.seen).toHaveLength(0);
    expect(await verifyTurnstile(config, "x", null, { fetch: f.fetchImpl })).toEqual({
      ok: false,
      reason: "invalid-input-response",
      retryable: false,
    });
  });

  it("treats an unreachable or stuck siteverify as a retryable refusal, never a pass", async () => {
    const down = (async () => {
      throw new TypeError("fetch failed");
    }) as unknown as typeof fetch;
    expect(await verifyTurnstile(config, "t", null, { fetch: down })).toMatchObject({
      ok: false,
      retryable: true,
    });
    const stuck = ((_u: string, init: RequestInit) =>
      new Promise((_, reject) =>
        init.signal?.addEventListener("abort", () => reject(init.signal?.reason)),
      )) as unknown as typeof fetch;
    expect(await verifyTurnstile(config, "t", null, { fetch: stuck, timeoutMs: 10 })).toMatchObject({
      ok: false,
      retryable: true,
    });
  });
});
