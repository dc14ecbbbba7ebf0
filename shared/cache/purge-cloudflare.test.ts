// Tests: Cloudflare purge client: batching and coalescing.
import { describe, expect, it } from "vitest";
import { until } from "../testing/index.ts";
import { CloudflarePurgeClient, type PurgeFetch } from "./purge-cloudflare.ts";

interface Call {
  url: string;
  auth: string | null;
  body: Record<string, string[]>;
}

function fakeApi(answer: () => Response = () => Response.json({ success: true, errors: [] })) {
  const calls: Call[] = [];
  let release: () => void = () => {};
  let gate: Promise<void> | null = null;
  const fetch: PurgeFetch = async (url, init) => {
    calls.push({
      url,
      auth: new Headers(init.headers).get("authorization"),
      body: JSON.parse(String(init.body)) as Record<string, string[]>,
    });
    if (gate) await gate;
    return answer();
  };
  return {
    calls,
    fetch,
    hold() {
      gate = new Promise((r) => {
        release = r;
      });
    },
    release: () => {
      gate = null;
      release();
    },
  };
}

describe("CloudflarePurgeClient", () => {
  it("posts to the zone's purge_cache endpoint with the token", async () => {
    const api = fakeApi();
    const client = new CloudflarePurgeClient({ zoneId: "z1", apiToken: "tok", fetch: api.fetch });
    expect(await client.purge("tags", ["talk:1"])).toEqual({ ok: true, items: 1, errors: [] });
    expect(api.calls).toEqual([
      {
        url: "https://api.cloudflare.com/client/v4/zones/z1/purge_cache",
        auth: "Bearer tok",
        body: { tags: ["talk:1"] },
      },
    ]);
  });

  it("splits 250 tags into calls of at most 100", async () => {
    const api = fakeApi();
    const client = new CloudflarePurgeClient({ zoneId: "z", apiToken: "t", fetch: api.fetch });
    const tags = Array.from({ length: 250 }, (_, i) => `t${i}`);
    const r = await client.purge("tags", tags);
    expect(r.items).toBe(250);
    expect(api.calls.map((c) => c.body.tags?.length)).toEqual([100, 100, 50]);
    expect(api.calls.flatMap((c) => c.body.tags)).toEqual(tags);
  });

  it("merges purges issued in the same tick and deduplicates", async () => {
    const api = fakeApi();
    const client = new CloudflarePurgeClient({ zoneId: "z", apiToken: "t", fetch: api.fetch });
    const results = await Promise.all([
      client.purge("files", ["https://x.test/a"]),
      client.purge("files", ["https://x.test/b", "https://x.test/a"]),
      client.purge("tags", ["e:1"]),
    ]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(api.calls.map((c) => c.body)).toEqual([
      { files: ["https://x.test/a", "https://x.test/b"] },
      { tags: ["e:1"] },
    ]);
  });

  it("queues purges made while a call is in flight into ONE next call", async () => {
    const api = fakeApi();
    const client = new CloudflarePurgeClient({ zoneId: "z", apiToken: "t", fetch: api.fetch });
    api.hold();
    const first = client.purge("tags", ["a"]);
    await until(() => api.calls.length === 1, "the first call in flight");
    const later = Array.from({ length: 20 }, (_, i) => client.purge("tags", [`b${i}`]));
    expect(api.calls.length).toBe(1);
    api.release();
    await Promise.all([first, ...later]);
    expect(api.calls.length).toBe(2);
    expect(api.calls[1]?.body.tags?.length).toBe(20);
  });

  it("reports API failures without throwing", async () => {
    const api = fakeApi(() =>
      Response.json({ success: false, errors: [{ message: "rate limited" }] }, { status: 429 }),
    );
    const client = new CloudflarePurgeClient({ zoneId: "z", apiToken: "t", fetch: api.fetch });
    const r = await client.purge("tags", ["a"]);
    expect(r.ok).toBe(false);
    expect(r.errors[0]).toMatch(/429.*rate limited/);
  });
});
