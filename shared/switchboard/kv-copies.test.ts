// KV's fallback copies: stamped on write; unstamped (older) copies, missing keys and garbage read as such.
import { describe, expect, it } from "vitest";
import { SNAPSHOT_KEY } from "../flagstore/index.ts";
import { READ_ONLY_KEY, READ_ONLY_OFF } from "../readonly/index.ts";
import { memoryKV } from "../testing/index.ts";
import { flagsCopy, readCopies, readOnlyCopy, writeFlagsCopy, writeReadOnlyCopy } from "./kv-copies.ts";

describe("KV copies", () => {
  it("round-trips both switches with their stamps", async () => {
    const kv = memoryKV();
    await writeReadOnlyCopy(kv, { state: { ...READ_ONLY_OFF, on: true }, at: 42 });
    await writeFlagsCopy(kv, { version: "v9", text: '{"version":"v9"}', at: 43 });
    expect(await readCopies(kv, 100)).toEqual({
      readOnly: { state: { ...READ_ONLY_OFF, on: true }, at: 42 },
      flags: { version: "v9", text: '{"version":"v9"}', at: 43 },
    });
  });

  it("reads copies written before stamps as older than anything stamped", async () => {
    const kv = memoryKV({
      [READ_ONLY_KEY]: JSON.stringify({ ...READ_ONLY_OFF, on: true }),
      [SNAPSHOT_KEY]: '{"version":"v1","flags":{}}',
    });
    const copies = await readCopies(kv, 100);
    expect(copies.readOnly?.at).toBe(1);
    expect(copies.flags).toMatchObject({ version: "v1", at: 1 });
  });

  it("reads missing and unreadable copies as null, and a slow KV as a failure", async () => {
    expect(readOnlyCopy(null, null)).toBeNull();
    expect(readOnlyCopy("garbage", null)).toBeNull();
    expect(flagsCopy("{not json", null)).toBeNull();
    expect(flagsCopy('{"flags":{}}', null)).toBeNull();
    const kv = memoryKV();
    kv.delayMs = 100;
    await expect(readCopies(kv, 10)).rejects.toThrow(/took longer/);
  });
});
