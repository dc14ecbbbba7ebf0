// The primary's writability verdict: a standby or a read-only default is unhealthy, like no answer at all.
import { describe, expect, it } from "vitest";
import { type FakeResult, installFakeNeon } from "../testing/index.ts";
import { probeWritable, WRITABLE_SQL, writableFrom } from "./writable.ts";

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
  const URL = "postgres://u:p@primary.test/db";
  it("asks the primary in one round trip and never throws: a primary that does not answer is unhealthy", async () => {
    let answer: FakeResult | "hang" = { fields: ["recovery", "read_only"], rows: [["f", "off"]] };
    const fake = installFakeNeon(() => answer);
    try {
      expect(await probeWritable(URL, 200)).toEqual({ healthy: true, detail: "the primary takes writes" });
      expect(fake.calls[0]?.queries[0]?.query).toBe(WRITABLE_SQL);
      answer = "hang";
      const hung = await probeWritable(URL, 50);
      expect(hung).toMatchObject({ healthy: false, detail: /did not answer/ });
    } finally {
      fake.restore();
    }
  });
});
