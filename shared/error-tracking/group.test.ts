import { describe, expect, it } from "vitest";
import { ErrorGroups, fingerprint, topFrames } from "./group.ts";

function thrownAt(label: string): Error {
  const e = new TypeError(`cannot read ${label}`);
  e.stack = `TypeError: cannot read ${label}\n    at render (file:///app/index.js:120:7)\n    at handler (file:///app/index.js:88:3)`;
  return e;
}

describe("fingerprint", () => {
  it("is the same for the same bug whatever the message detail or build positions, and differs across bugs", async () => {
    const a = thrownAt("id 1");
    const b = thrownAt("id 2");
    b.stack = b.stack?.replace(":120:7", ":999:1");
    expect(await fingerprint(a)).toBe(await fingerprint(b));
    const other = new RangeError("x");
    other.stack = "RangeError: x\n    at other (file:///app/index.js:1:1)";
    expect(await fingerprint(other)).not.toBe(await fingerprint(a));
    expect(topFrames(a.stack)).toEqual(["render (file:///app/index.js", "handler (file:///app/index.js"]);
  });

  it("tells bugs apart in a minified bundle, where every frame is the same file", async () => {
    const minified = (message: string) => {
      const e = new TypeError(message);
      e.stack = `TypeError: ${message}\n    at file:///b/index.js:709:1048\n    at a (file:///b/index.js:477:12765)`;
      return e;
    };
    expect(await fingerprint(minified("x is undefined"))).not.toBe(
      await fingerprint(minified("y is not a function")),
    );
    expect(await fingerprint(minified('no talk "a-1" for user 7'))).toBe(
      await fingerprint(minified('no talk "b-2" for user 9')),
    );
  });
});

describe("ErrorGroups", () => {
  it("counts a storm of one error as one group, and hands it over at most once per window", async () => {
    const groups = new ErrorGroups();
    for (let i = 0; i < 1000; i++) await groups.add(thrownAt(`id ${i}`), `req-${i}`, 1_000 + i);
    const batch = groups.take(10_000);
    expect(batch).toHaveLength(1);
    expect(batch[0]).toMatchObject({
      type: "TypeError",
      count: 1000,
      firstSeen: 1_000,
      lastSeen: 1_999,
      lastRequestId: "req-999",
    });
    await groups.add(thrownAt("again"), "r", 10_001);
    expect(groups.take(10_002)).toEqual([]);
    expect(groups.take(15_001)).toHaveLength(1);
  });

  it("holds a bounded number of groups", async () => {
    const groups = new ErrorGroups(3);
    for (let i = 0; i < 10; i++) {
      const e = new Error(`kind ${i}`);
      e.stack = `Error: kind ${i}\n    at f${i} (x.js:1:1)`;
      await groups.add(e, null, 1);
    }
    expect(groups.take(10_000)).toHaveLength(3);
  });
});
