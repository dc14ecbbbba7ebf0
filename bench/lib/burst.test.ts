// Checks how burst replies are classified from their Cache-Status headers and latencies.

import { describe, expect, it } from "vitest";
import { CACHE_NAME } from "../../shared/site/index.ts";
import { type BurstReply, summarise } from "./burst.ts";

const r = (cacheStatus: string, ms = 5, status = 200): BurstReply => ({ status, cacheStatus, ms });

describe("summarise", () => {
  it("counts one leader, its collapsed waiters and the slow ones in a cold stampede", () => {
    const replies = [
      r(`${CACHE_NAME}; fwd=uri-miss; fwd-status=200; stored`, 120),
      r(`${CACHE_NAME}; fwd=uri-miss; fwd-status=200; stored; collapsed`, 118),
      r(`${CACHE_NAME}; fwd=uri-miss; fwd-status=200; stored; collapsed`, 119),
    ];
    expect(summarise(replies, 100)).toEqual({
      ok: 3,
      failed: 0,
      hits: 0,
      collapsed: 2,
      forwarded: 1,
      waited: 3,
      slow: 3,
    });
  });

  it("counts stale-while-revalidate answers as hits and failures separately", () => {
    const replies = [
      r(`${CACHE_NAME}; hit; ttl=-1; detail=stale-while-revalidate`, 3),
      r(`${CACHE_NAME}; hit; ttl=-1; detail=stale-while-revalidate`, 4),
      r("", 30_000, 500),
      r("client-error", 2, 0),
    ];
    const s = summarise(replies, 100);
    expect(s).toMatchObject({ ok: 2, failed: 2, hits: 2, collapsed: 0, forwarded: 0, waited: 0, slow: 1 });
  });

  it("does not mistake a header that merely contains the word for the token", () => {
    const s = summarise([r(`${CACHE_NAME}; detail=hit-for-pass; fwd=miss`, 1)], 100);
    expect(s.hits).toBe(0);
    expect(s.forwarded).toBe(1);
  });
});
