import { describe, expect, it } from "vitest";
import { createIdentityResolver } from "./resolve.ts";
import { parseRevoked, REVOKED_KEEP_MS, withRevocation } from "./revoked.ts";
import { isSessionId, newSessionId, sessionKey } from "./session.ts";

describe("session ids", () => {
  it("are 256 random bits, and the stored key is not the id", async () => {
    const a = newSessionId();
    expect(isSessionId(a)).toBe(true);
    expect(a).not.toBe(newSessionId());
    expect(await sessionKey(a)).not.toBe(a);
    expect(await sessionKey(a)).toBe(await sessionKey(a));
    expect(isSessionId("s_alice")).toBe(false);
  });
});

describe("the revoked list", () => {
  it("keeps entries only while an isolate may still remember the session", () => {
    let list = withRevocation([], "a", 0);
    list = withRevocation(list, "b", REVOKED_KEEP_MS - 1);
    expect(list.map(([k]) => k)).toEqual(["a", "b"]);
    list = withRevocation(list, "c", REVOKED_KEEP_MS);
    expect(list.map(([k]) => k)).toEqual(["b", "c"]);
    // Revoking again moves the entry to now rather than listing it twice.
    list = withRevocation(list, "b", REVOKED_KEEP_MS + 1);
    expect(list).toEqual([
      ["c", REVOKED_KEEP_MS],
      ["b", REVOKED_KEEP_MS + 1],
    ]);
  });

  it("reads junk as empty", () => {
    expect(parseRevoked(null)).toEqual([]);
    expect(parseRevoked("{")).toEqual([]);
    expect(parseRevoked('[["a",1],["b"],3]')).toEqual([["a", 1]]);
  });

  it("makes the resolver drop a remembered identity at once", async () => {
    let lookups = 0;
    const r = createIdentityResolver({
      lookup: async () => {
        lookups++;
        return { id: 1, tags: [] };
      },
    });
    const sid = newSessionId();
    expect(await r.resolve(sid, new Set())).toEqual({ id: 1, tags: [] });
    expect(await r.resolve(sid, new Set(["other"]))).toEqual({ id: 1, tags: [] });
    expect(lookups).toBe(1);
    expect(await r.resolve(sid, new Set([await sessionKey(sid)]))).toBeNull();
  });
});
