// Uploads as a browser makes them: presign at the origin, PUT to (local) R2, complete, the job, the photo.
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { UPLOADS_BUCKET } from "../shared/site/index.ts";
import { eventually, holds, SITE, site, sql } from "./helpers.ts";

const EVENT = "frontend-north-2027";
const ADA = "sid=dev-session-ada";
const BOB = "sid=dev-session-bob";
const CY = "sid=dev-session-cy";

type Presigned = {
  id: number;
  method: "PUT";
  url: string;
  headers: Record<string, string>;
  size: number;
  key: string;
  expiresAt: number;
};

// --- a real PNG, built byte by byte: signature, IHDR, one zlib IDAT of RGB rows, IEND ---

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

async function deflate(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data]).stream().pipeThrough(new CompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function png(width: number, height: number): Promise<Uint8Array> {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter, no interlace
  const rows = new Uint8Array(height * (1 + width * 3));
  for (let y = 0; y < height; y++) rows.fill(y * 7, y * (1 + width * 3) + 1, (y + 1) * (1 + width * 3));
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", await deflate(rows)),
    chunk("IEND", new Uint8Array()),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// --- the browser's side ---

async function eventId(slug = EVENT) {
  const [row] = (await sql()`select id from events where slug = ${slug}`) as { id: number }[];
  if (!row) throw new Error(`no event ${slug}`);
  return row.id;
}

async function presign(cookie: string | null, body: Record<string, unknown>) {
  const r = await site("/uploads", {
    method: "POST",
    headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
  return { status: r.res.status, body: r.body, json: () => JSON.parse(r.body) as Presigned };
}

async function presignOk(cookie: string, bytes: Uint8Array, extra: Record<string, unknown> = {}) {
  const r = await presign(cookie, { contentType: "image/png", size: bytes.byteLength, ...extra });
  expect(r.status, r.body).toBe(201);
  return r.json();
}

/** The PUT a browser sends to the presigned URL (here the origin's local stand-in for R2, through the edge). */
async function put(url: string, body: Uint8Array, contentType = "image/png") {
  const res = await SELF.fetch(url, { method: "PUT", headers: { "content-type": contentType }, body });
  return { status: res.status, text: await res.text() };
}

async function complete(cookie: string | null, id: number) {
  return site(`/uploads/${id}/complete`, { method: "POST", headers: cookie ? { cookie } : {} });
}

async function uploadRow(id: number) {
  const [row] =
    (await sql()`select key, status, width, height, size, event_id, owner_id from uploads where id = ${id}`) as {
      key: string;
      status: string;
      width: number | null;
      height: number | null;
      size: number | null;
      event_id: number | null;
      owner_id: number;
    }[];
  return row;
}

describe("an upload, start to finish", () => {
  it("presign → PUT → complete → processed → shown on the event page and served from /media", async () => {
    const event = await eventId();
    // Warm the edge cache with the page as it is now: the job must purge it.
    const before = await site(`/events/${EVENT}`);
    expect(before.res.status).toBe(200);
    await site(`/events/${EVENT}`);

    const bytes = await png(37, 23);
    const p = await presignOk(ADA, bytes, { eventId: event });
    const [ada] = (await sql()`select id from users where email = 'ada@example.com'`) as { id: number }[];
    expect(p.key).toMatch(new RegExp(`^u/${ada?.id}/[0-9a-f-]{36}\\.png$`));
    expect(p.url.startsWith(`${SITE}/_r2/${UPLOADS_BUCKET}/${p.key}?`)).toBe(true);
    expect(new URL(p.url).searchParams.get("X-Amz-SignedHeaders")).toBe("content-length;content-type;host");
    expect(p).toMatchObject({
      method: "PUT",
      headers: { "content-type": "image/png" },
      size: bytes.byteLength,
    });
    expect(await uploadRow(p.id)).toMatchObject({ status: "pending", width: null, event_id: event });

    const res = await SELF.fetch(p.url, { method: "PUT", headers: p.headers, body: bytes });
    expect(res.status, await res.text()).toBe(200);
    expect(before.body).not.toContain(p.key);
    expect((await uploadRow(p.id))?.status).toBe("pending");
    // Uploaded but not yet checked by the job: not public (and that 404 is not cached either).
    const early = await SELF.fetch(`${SITE}/media/${p.key}`);
    expect(early.status).toBe(404);
    expect(early.headers.get("cache-control")).toBe("no-store");

    const done = await complete(ADA, p.id);
    expect(done.res.status, done.body).toBe(202);
    const row = await eventually(async () => {
      const r = await uploadRow(p.id);
      return r?.status === "ready" && r;
    }, 10_000);
    expect(row).toMatchObject({ width: 37, height: 23, size: bytes.byteLength });

    // A page rendered once the replica has the row (it lags 1 s) shows the photo with its dimensions.
    const page = await eventually(async () => {
      const r = await site(`/events/${EVENT}?t=${crypto.randomUUID()}`);
      return r.body.includes(`/media/${p.key}`) && r.body;
    }, 5_000);
    expect(page).toContain(`src="/media/${p.key}" width="37" height="23"`);
    // The job purged the warmed page: its next request goes to the origin instead of hitting the old copy.
    // (Asked only after the replica caught up: a visitor inside the lag window re-caches the page without the
    // photo for the whole TTL when the router still trusts the replica — reported, not asserted here.)
    const purged = await site(`/events/${EVENT}`);
    expect(purged.cacheStatus).toMatch(/fwd=/);
    expect(purged.body).toContain(`/media/${p.key}`);

    const media = await SELF.fetch(`${SITE}/media/${p.key}`);
    expect(media.status).toBe(200);
    expect(media.headers.get("content-type")).toBe("image/png");
    expect(media.headers.get("cache-control")).toMatch(/max-age=86400.*immutable/);
    expect(new Uint8Array(await media.arrayBuffer())).toEqual(bytes);
    const again = await SELF.fetch(`${SITE}/media/${p.key}`);
    await again.arrayBuffer();
    expect(again.headers.get("cache-status")).toMatch(/hit/);
    // The job's sidecar metadata is never served.
    expect((await SELF.fetch(`${SITE}/media/${p.key}.meta.json`)).status).toBe(404);
  });

  it("rejects and deletes an object whose bytes are not the promised PNG (checked by the job)", async () => {
    const fake = new TextEncoder().encode("GIF89a not a png at all, but the right length");
    const p = await presignOk(CY, fake);
    expect((await put(p.url, fake)).status).toBe(200);
    // Stored in R2 but unchecked: never served, so a browser cannot be handed the fake "PNG".
    expect((await SELF.fetch(`${SITE}/media/${p.key}`)).status).toBe(404);
    expect((await complete(CY, p.id)).res.status).toBe(202);
    await eventually(async () => (await uploadRow(p.id))?.status === "rejected", 10_000);
    expect((await SELF.fetch(`${SITE}/media/${p.key}`)).status).toBe(404);
  });
});

describe("bad uploads are refused with clear errors", () => {
  it("presign: 401 without a session, 415 for a non-image type, 413 over 5 MB, 400 for a bad size", async () => {
    const anon = await presign(null, { contentType: "image/png", size: 100 });
    expect(anon.status).toBe(401);
    expect(anon.body).toContain("Sign in to upload.");

    const html = await presign(CY, { contentType: "text/html", size: 100 });
    expect(html.status).toBe(415);
    expect(JSON.parse(html.body).message).toMatch(
      /content type text\/html is not accepted; use one of image\/png/,
    );

    const big = await presign(CY, { contentType: "image/png", size: 5 * 1024 * 1024 + 1 });
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body).message).toContain("the limit is 5242880 (5 MB)");

    const bad = await presign(CY, { contentType: "image/png", size: -1 });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).message).toContain("size must be");
  });

  it("PUT: 403 for another content type or another size than was signed; nothing is stored", async () => {
    const bytes = await png(4, 4);
    const p = await presignOk(ADA, bytes);

    const asJpeg = await put(p.url, bytes, "image/jpeg");
    expect(asJpeg.status).toBe(403);
    expect(asJpeg.text).toContain("signature does not match");
    const asHtml = await put(p.url, bytes, "text/html");
    expect(asHtml.status).toBe(403);

    const bigger = new Uint8Array(bytes.byteLength + 1);
    bigger.set(bytes);
    const tooBig = await put(p.url, bigger);
    expect(tooBig.status).toBe(403);
    expect(tooBig.text).toContain("signature does not match");
    expect((await put(p.url, bytes.subarray(1))).status).toBe(403);

    expect((await SELF.fetch(`${SITE}/media/${p.key}`)).status).toBe(404);
    // The signed request itself still works: the refusals were about the changes, not the URL.
    expect((await put(p.url, bytes)).status).toBe(200);
  });

  it("PUT: 403 for a tampered or expired URL", async () => {
    const bytes = await png(2, 2);
    const p = await presignOk(ADA, bytes);
    const tampered = new URL(p.url);
    tampered.searchParams.set("X-Amz-Expires", "1");
    // Tampering alone breaks the signature …
    const now = await put(tampered.toString(), bytes);
    expect(now.status).toBe(403);
    expect(now.text).toContain("signature does not match");
    // … and once the (claimed) lifetime is over, the URL is refused as expired before the signature is checked.
    const later = await eventually(
      async () => {
        const r = await put(tampered.toString(), bytes);
        return r.text.includes("expired") ? r : undefined;
      },
      5_000,
      100,
    );
    expect(later.status).toBe(403);
    expect(later.text).toContain("the upload URL has expired");

    const key = new URL(p.url);
    key.searchParams.set(
      "X-Amz-Credential",
      (key.searchParams.get("X-Amz-Credential") ?? "").replace(/^[^/]+/, "wrong"),
    );
    expect((await put(key.toString(), bytes)).status).toBe(403);
    const unsigned = `${SITE}/_r2/${UPLOADS_BUCKET}/${p.key}`;
    expect((await put(unsigned, bytes)).status).toBe(403);
  });

  it("complete: 404 for another user's upload id, 401 without a session, 404 for an id that cannot exist", async () => {
    const bytes = await png(3, 3);
    const p = await presignOk(ADA, bytes);
    expect((await put(p.url, bytes)).status).toBe(200);

    const bob = await complete(BOB, p.id);
    expect(bob.res.status).toBe(404);
    expect(bob.body).toContain("No such upload.");
    expect((await complete(null, p.id)).res.status).toBe(401);
    expect(
      (await site("/uploads/abc/complete", { method: "POST", headers: { cookie: BOB } })).res.status,
    ).toBe(404);
    // Bob's attempt enqueued nothing: the upload stays pending.
    await holds(async () => (await uploadRow(p.id))?.status === "pending", 500);
  });
});
