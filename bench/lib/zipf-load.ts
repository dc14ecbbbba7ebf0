// The mixed load of bench/edge-zipf.ts: which requests, in what proportions (pure: a seed in, a request list out).
import { rng, zipf } from "../../scripts/db/examples/corpus.ts";
import type { MixedRequest } from "./mixed-load.ts";

export const PAGES = 1_000;
export const MISS_SHARE = 0.03;
export const SIGNED_IN_SHARE = 0.03;
/** Of the anonymous visitors, those who come back with their ep_aid cookie: most traffic. */
export const RETURNING_SHARE = 0.8;
const VISITORS = 5_000;
const SESSIONS = 200;
/** Requests per run; more than any run sends, so a miss URL is never asked twice. */
const SEQUENCE = 150_000;

export const page = (rank: number) => `/events/page-${rank}`;
const hex = (random: () => number, n: number) =>
  Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join("");

/** The request list of one run; `run` keeps its misses apart from every other run's. */
export function mixedRequests(run: number, count = SEQUENCE): MixedRequest[] {
  const random = rng(run + 1);
  const rank = zipf(PAGES, 1, random);
  const visitors = Array.from({ length: VISITORS }, () => {
    const h = hex(random, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20)}`;
  });
  // Session ids have the shape the real ones have (43 base64url characters); the stub origin knows them all.
  const sessions = Array.from(
    { length: SESSIONS },
    (_, i) => `bench${String(i).padStart(4, "0")}${"s".repeat(34)}`,
  );
  const out: MixedRequest[] = [];
  for (let i = 0; i < count; i++) {
    const x = random();
    if (x < MISS_SHARE) {
      out.push({ path: `/events/new-${run}-${i}`, headers: {}, kind: "miss" });
    } else if (x < MISS_SHARE + SIGNED_IN_SHARE) {
      const sid = sessions[Math.floor(random() * SESSIONS)] ?? "";
      out.push({ path: page(rank()), headers: { cookie: `sid=${sid}` }, kind: "signed in" });
    } else if (random() < RETURNING_SHARE) {
      const aid = visitors[Math.floor(random() * VISITORS)] ?? "";
      out.push({ path: page(rank()), headers: { cookie: `ep_aid=${aid}` }, kind: "returning visitor" });
    } else {
      out.push({ path: page(rank()), headers: {}, kind: "new visitor" });
    }
  }
  return out;
}
