import { describe, expect, it } from "vitest";
import { DeadlineError, withTimeout } from "./index.ts";

const never = () => new Promise<never>(() => {});

describe("withTimeout", () => {
  it("passes through work that settles in time, value or error", async () => {
    expect(await withTimeout(Promise.resolve(1), 50)).toBe(1);
    await expect(withTimeout(Promise.reject(new Error("boom")), 50)).rejects.toThrow("boom");
  });

  it("rejects at the deadline and aborts the work's signal with the same error", async () => {
    let seen: unknown;
    const work = (signal: AbortSignal) =>
      new Promise<never>((_, reject) => {
        signal.addEventListener("abort", () => {
          seen = signal.reason;
          reject(signal.reason);
        });
      });
    const error = await withTimeout(work, 5, { error: () => new Error("too slow") }).catch((e: unknown) => e);
    expect(error).toEqual(new Error("too slow"));
    expect(seen).toBe(error);
  });

  it("uses a DeadlineError by default, fails at once when the deadline has passed, and never when infinite", async () => {
    await expect(withTimeout(never(), 1)).rejects.toBeInstanceOf(DeadlineError);
    await expect(withTimeout(never(), 0)).rejects.toBeInstanceOf(DeadlineError);
    await expect(withTimeout(never(), -5)).rejects.toBeInstanceOf(DeadlineError);
    expect(await withTimeout(Promise.resolve("ok"), Number.POSITIVE_INFINITY)).toBe("ok");
  });
});
