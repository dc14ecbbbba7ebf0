// Issue 6, uploads as a browser makes them: presign at the origin, PUT to (local) R2, complete, the job, the photo.
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { eventually, SITE, site, sql } from "./helpers";

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

describe("probe", () => {
  it("race", async () => {
    const event = await eventId();
    for (let i = 0; i < 3; i++) {
      await site(`/events/${EVENT}`);
      const bytes = await png(5, 5);
      const p = await presignOk(BOB, bytes, { eventId: event });
      await SELF.fetch(p.url, { method: "PUT", headers: p.headers, body: bytes });
      await complete(BOB, p.id);
      await eventually(async () => (await sql()`select 1 from job_ledger l, uploads u where u.id = ${p.id} and u.status = 'ready' and l.name = 'process-upload' and l.completed_at >= u.processed_at`).length > 0, 10_000, 50);
      const a = await site(`/events/${EVENT}`);
      await new Promise((r) => setTimeout(r, 1500));
      const b = await site(`/events/${EVENT}`);
      console.log("PROBE", a.cacheStatus, a.res.headers.get("x-db-routes"), a.body.includes(p.key), "| after 1.5s", b.cacheStatus, b.body.includes(p.key));
    }
  });
});
