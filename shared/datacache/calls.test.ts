// Redis accounting: each guarded call recorded once, skipped calls (open breaker) not counted as sent.
import { describe, expect, it } from "vitest";
import { countedGuard, decodeRedisLog, encodeRedisLog, RedisLog } from "./calls.ts";
import { createRedisGuard } from "./guard.ts";

describe("countedGuard", () => {
  it("records every call, and counts as sent only those that reached Redis", async () => {
    let t = 0;
    const guard = createRedisGuard({ now: () => t, log: () => {}, coolDownMs: 1_000 });
    const log = new RedisLog();
    const counted = countedGuard(guard, log, () => t);
    expect(await counted.call("get", async () => 1)).toEqual({ ok: true, value: 1 });
    await counted.call("get", async () => {
      throw new Error("down");
    });
    t = 10;
    expect(await counted.call("get", async () => 2)).toEqual({ ok: false, reason: "open" });
    expect(log.calls.map((c) => [c.sent, c.ok])).toEqual([
      [true, true],
      [true, false],
      [false, false],
    ]);
    expect(log.sent()).toBe(2);
    expect(decodeRedisLog(encodeRedisLog(log))).toEqual(log.calls);
  });
});
