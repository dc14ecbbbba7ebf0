// Cloudflare's zone purge API behind batching (≤ 100 items a call) and coalescing (one call in flight per kind).
//
// Purge calls are rate limited per account (Free: 5 requests/min; Pro: 5/s), so every purge requested while a
// call is in flight waits and leaves in the next call together with everything else that queued meanwhile.

export interface PurgeResult {
  readonly ok: boolean;
  /** Items (tags, URLs or cache keys) this purge covered. */
  readonly items: number;
  readonly errors: readonly string[];
}

export type PurgeFetch = (url: string, init: RequestInit) => Promise<Response>;

export interface CloudflarePurgeOptions {
  readonly zoneId: string;
  readonly apiToken: string;
  /** Injectable for tests; defaults to the global fetch. */
  readonly fetch?: PurgeFetch;
  /** Cloudflare allows 100 operations per call on every plan (500 for Enterprise URLs). */
  readonly batchSize?: number;
  readonly apiBase?: string;
}

export type PurgeKind = "tags" | "files";

export class CloudflarePurgeClient {
  readonly #batchers: Record<PurgeKind, Batcher>;

  constructor(opts: CloudflarePurgeOptions) {
    const doFetch: PurgeFetch = opts.fetch ?? ((u, i) => fetch(u, i));
    const size = Math.min(100, Math.max(1, opts.batchSize ?? 100));
    const url = `${opts.apiBase ?? "https://api.cloudflare.com/client/v4"}/zones/${opts.zoneId}/purge_cache`;
    const send = (kind: PurgeKind) => async (chunk: string[]) => {
      const res = await doFetch(url, {
        method: "POST",
        headers: { authorization: `Bearer ${opts.apiToken}`, "content-type": "application/json" },
        body: JSON.stringify({ [kind]: chunk }),
      });
      const body = (await res.json().catch(() => null)) as {
        success?: boolean;
        errors?: { message?: string }[];
      } | null;
      if (res.ok && body?.success) return null;
      const msg = body?.errors?.map((e) => e.message).join("; ") || res.statusText;
      return `purge ${kind} failed (${res.status}): ${msg}`;
    };
    this.#batchers = { tags: new Batcher(size, send("tags")), files: new Batcher(size, send("files")) };
  }

  purge(kind: PurgeKind, items: readonly string[]): Promise<PurgeResult> {
    return this.#batchers[kind].add(items);
  }
}

type Waiter = (r: PurgeResult) => void;

/** Collects items, sends them in chunks, and serialises the sends so concurrent purges merge. */
class Batcher {
  #pending = new Set<string>();
  #waiters: Waiter[] = [];
  #running = false;

  constructor(
    private readonly size: number,
    private readonly send: (chunk: string[]) => Promise<string | null>,
  ) {}

  add(items: readonly string[]): Promise<PurgeResult> {
    if (items.length === 0) return Promise.resolve({ ok: true, items: 0, errors: [] });
    for (const i of items) this.#pending.add(i);
    const done = new Promise<PurgeResult>((resolve) => this.#waiters.push(resolve));
    if (!this.#running) {
      this.#running = true;
      void this.#drain();
    }
    return done;
  }

  async #drain(): Promise<void> {
    // Let purges issued in the same tick join the first call.
    await Promise.resolve();
    try {
      while (this.#pending.size > 0) {
        const items = [...this.#pending];
        const waiters = this.#waiters;
        this.#pending = new Set();
        this.#waiters = [];
        const errors: string[] = [];
        for (let i = 0; i < items.length; i += this.size) {
          const err = await this.send(items.slice(i, i + this.size)).catch((e: unknown) => String(e));
          if (err) errors.push(err);
        }
        const result: PurgeResult = { ok: errors.length === 0, items: items.length, errors };
        for (const w of waiters) w(result);
      }
    } finally {
      this.#running = false;
    }
  }
}
