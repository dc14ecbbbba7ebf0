// The primary's writability verdict: a standby or a read-only default is unhealthy, like no answer at all.
import { describe, expect, it } from "vitest";
import { probeWritable, writableFrom } from "./writable.ts";

describe("writableFrom", () => {
  it("is healthy only for a primary out of recovery whose transactions are read-write", () => {
    expect(writableFrom({ recovery: false, read_only: "off" }).healthy).toBe(true);
    expect(writableFrom({ recovery: true, read_only: "on" })).toMatchObject({
      healthy: false,
      detail: /standby/,
    });
    expect(writableFrom({ recovery: false, read_only: "on" })).toMatchObject({
      healthy: false,
      detail: /read-only/,
    });
    expect(writableFrom(undefined).healthy).toBe(false);
  });
});

describe("probeWritable", () => {
  it("answers unhealthy, never throws, when nothing listens", async () => {
    const r = await probeWritable("postgres://u:p@127.0.0.1:1/db", 500);
    expect(r.healthy).toBe(false);
    expect(r.detail).toMatch(/did not answer/);
  });
});
