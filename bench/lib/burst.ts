// Fires N requests for one URL at the same moment, each on its own connection, and records how each was answered.
import http from "node:http";

export interface BurstReply {
  status: number;
  cacheStatus: string;
  ms: number;
}

export async function burst(
  url: string,
  n: number,
  headers: Record<string, string> = {},
): Promise<BurstReply[]> {
  // No keep-alive and no socket cap: N simultaneous visitors, not N requests queued on a few sockets.
  const agent = new http.Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
  try {
    return await Promise.all(Array.from({ length: n }, () => one(url, agent, headers)));
  } finally {
    agent.destroy();
  }
}

function one(url: string, agent: http.Agent, headers: Record<string, string>): Promise<BurstReply> {
  return new Promise((resolve) => {
    const t = performance.now();
    const req = http.get(url, { agent, headers }, (res) => {
      res.on("data", () => {});
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          cacheStatus: String(res.headers["cache-status"] ?? ""),
          ms: performance.now() - t,
        }),
      );
      res.on("error", () => resolve({ status: 0, cacheStatus: "client-error", ms: performance.now() - t }));
    });
    req.on("error", () => resolve({ status: 0, cacheStatus: "client-error", ms: performance.now() - t }));
  });
}

export interface BurstSummary {
  ok: number;
  failed: number;
  /** Answered from cache without waiting on origin (`hit`, fresh or stale-while-revalidate). */
  hits: number;
  /** Waited on another request's origin fetch (RFC 9211 `collapsed`). */
  collapsed: number;
  /** Went to origin: the leader of a coalesced fetch, or any request that was not coalesced. */
  forwarded: number;
  /** Whose answer depended on an origin fetch: forwarded plus collapsed. The grace goal is 0. */
  waited: number;
  /** Slower than `waitMs` (the origin's delay); load alone can do this, so it is context, not the goal. */
  slow: number;
}

/** Pure: classifies replies; `waitMs` is the origin's delay, the floor for any answer that waited on it. */
export function summarise(replies: readonly BurstReply[], waitMs: number): BurstSummary {
  const has = (r: BurstReply, token: string) => new RegExp(`;\\s*${token}\\b`).test(r.cacheStatus);
  const collapsed = replies.filter((r) => has(r, "collapsed")).length;
  const forwarded = replies.filter((r) => has(r, "fwd=[a-z-]+") && !has(r, "collapsed")).length;
  return {
    ok: replies.filter((r) => r.status === 200).length,
    failed: replies.filter((r) => r.status !== 200).length,
    hits: replies.filter((r) => has(r, "hit")).length,
    collapsed,
    forwarded,
    waited: collapsed + forwarded,
    slow: replies.filter((r) => r.ms >= waitMs).length,
  };
}
