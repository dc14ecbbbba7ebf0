// Tests for presign.ts + verify.ts together: URLs we sign verify; expired, tampered, wrong-type, oversize ones do not.
import { describe, expect, it } from "vitest";
import { presignUpload, type R2S3Config } from "./presign.ts";
import { verifyPresigned } from "./verify.ts";

const creds = { accessKeyId: "local-dev-key", secretAccessKey: "local-dev-secret" };
const config: R2S3Config = { endpoint: "http://localhost:8787/_r2", bucket: "edgeplate-uploads", ...creds };
const key = "u/42/0f8fad5b-d9cb-469f-a165-70867728950e.png";
const t0 = Date.UTC(2026, 10, 23, 19, 0, 0);

async function signed(
  over: Partial<{ size: number; expiresSeconds: number; contentType: "image/png" | "image/gif" }> = {},
) {
  return presignUpload(config, {
    key,
    contentType: over.contentType ?? "image/png",
    size: over.size ?? 1000,
    expiresSeconds: over.expiresSeconds ?? 300,
    now: t0,
  });
}

/** What a browser sends: the signed content type, and content-length from the body (1000 bytes unless told). */
function put(url: string, headers: Record<string, string>, method = "PUT") {
  return new Request(url, { method, headers: { "content-length": "1000", ...headers } });
}

const verify = (req: Request, now = t0 + 1000) => verifyPresigned(req, { ...creds, now, basePath: "/_r2" });

describe("presignUpload", () => {
  it("signs host, content-type and content-length into a query-signed URL", async () => {
    const p = await signed();
    const url = new URL(p.url);
    expect(url.pathname).toBe(`/_r2/edgeplate-uploads/${key}`);
    expect(url.searchParams.get("X-Amz-Expires")).toBe("300");
    expect(url.searchParams.get("X-Amz-SignedHeaders")).toBe("content-length;content-type;host");
    expect(url.searchParams.get("X-Amz-Credential")).toBe("local-dev-key/20261123/auto/s3/aws4_request");
    expect(url.searchParams.get("X-Amz-Date")).toBe("20261123T190000Z");
    expect(p.headers).toEqual({ "content-type": "image/png" });
    expect(p.size).toBe(1000);
    expect(p.expiresAt).toBe(t0 + 300_000);
  });
});

describe("verifyPresigned", () => {
  it("accepts the request the URL was signed for", async () => {
    const p = await signed();
    expect(await verify(put(p.url, p.headers))).toEqual({
      ok: true,
      bucket: "edgeplate-uploads",
      key,
      contentType: "image/png",
      size: 1000,
    });
  });

  it("refuses an expired URL", async () => {
    const p = await signed({ expiresSeconds: 60 });
    expect(await verify(put(p.url, p.headers), t0 + 59_000)).toMatchObject({ ok: true });
    expect(await verify(put(p.url, p.headers), t0 + 61_000)).toMatchObject({
      ok: false,
      status: 403,
      reason: /expired/,
    });
  });

  it("refuses a tampered key, expiry or credential", async () => {
    const p = await signed();
    const otherKey = p.url.replace("u/42/", "u/43/");
    expect(await verify(put(otherKey, p.headers))).toMatchObject({
      ok: false,
      status: 403,
      reason: /signature/,
    });
    const longer = p.url.replace("X-Amz-Expires=300", "X-Amz-Expires=3000");
    expect(await verify(put(longer, p.headers))).toMatchObject({ ok: false, status: 403 });
    const otherCred = p.url.replace("local-dev-key", "someone-else");
    expect(await verify(put(otherCred, p.headers))).toMatchObject({
      ok: false,
      status: 403,
      reason: /credential/,
    });
  });

  it("refuses a content type other than the signed one", async () => {
    const p = await signed();
    const r = await verify(put(p.url, { ...p.headers, "content-type": "image/gif" }));
    expect(r).toMatchObject({ ok: false, status: 403, reason: /content type/ });
  });

  it("refuses a body size other than the signed one", async () => {
    const p = await signed({ size: 1000 });
    const r = await verify(put(p.url, { ...p.headers, "content-length": "1001" }));
    expect(r).toMatchObject({ ok: false, status: 403 });
  });

  it("refuses an oversize upload even when correctly signed", async () => {
    const p = await signed({ size: 6 * 1024 * 1024 });
    expect(await verify(put(p.url, { ...p.headers, "content-length": String(p.size) }))).toMatchObject({
      ok: false,
      status: 413,
    });
  });

  it("refuses other methods, unsigned URLs and URLs that leave the size unsigned", async () => {
    const p = await signed();
    expect(await verify(put(p.url, p.headers, "POST"))).toMatchObject({ ok: false, status: 405 });
    expect(await verify(put(`http://localhost:8787/_r2/edgeplate-uploads/${key}`, p.headers))).toMatchObject({
      ok: false,
      status: 403,
    });
    const loose = p.url.replace("content-length%3Bcontent-type%3Bhost", "content-type%3Bhost");
    expect(await verify(put(loose, p.headers))).toMatchObject({
      ok: false,
      status: 403,
      reason: /must sign/,
    });
  });
});
