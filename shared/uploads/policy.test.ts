// Tests for the upload policy: accepted types and sizes, error statuses, key shape.
import { HTTPException } from "hono/http-exception";
import { describe, expect, it } from "vitest";
import { assertUploadRequest, checkUploadRequest, parseUploadKey, typeForKey, uploadKey } from "./policy.ts";

const uuid = "0f8fad5b-d9cb-469f-a165-70867728950e";

describe("checkUploadRequest", () => {
  it("accepts an allowed image type within the limit, normalising the type", () => {
    expect(checkUploadRequest({ contentType: "Image/PNG; charset=binary", size: 1234 })).toEqual({
      ok: true,
      contentType: "image/png",
      size: 1234,
      ext: "png",
    });
    expect(checkUploadRequest({ contentType: "image/jpeg", size: 5 * 1024 * 1024 })).toMatchObject({
      ok: true,
      ext: "jpg",
    });
  });

  it("refuses other types with 415", () => {
    const r = checkUploadRequest({ contentType: "image/svg+xml", size: 10 });
    expect(r).toMatchObject({ ok: false, status: 415 });
    expect(!r.ok && r.message).toContain("image/png");
  });

  it("refuses files over the limit with 413", () => {
    expect(checkUploadRequest({ contentType: "image/gif", size: 5 * 1024 * 1024 + 1 })).toMatchObject({
      ok: false,
      status: 413,
    });
    expect(
      checkUploadRequest({ contentType: "image/gif", size: 2000 }, { maxBytes: 1000, expiresSeconds: 60 }),
    ).toMatchObject({ ok: false, status: 413 });
  });

  it("refuses malformed requests with 400", () => {
    for (const bad of [
      null,
      "x",
      {},
      { contentType: "image/png" },
      { contentType: "image/png", size: 0 },
      { contentType: "image/png", size: 1.5 },
      { contentType: "", size: 3 },
    ]) {
      expect(checkUploadRequest(bad)).toMatchObject({ ok: false, status: 400 });
    }
  });

  it("assertUploadRequest throws an HTTPException with the status and message", () => {
    try {
      assertUploadRequest({ contentType: "text/html", size: 3 });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(HTTPException);
      expect((err as HTTPException).status).toBe(415);
      expect((err as HTTPException).message).toContain("text/html");
    }
  });
});

describe("upload keys", () => {
  it("derives the extension from the type and round-trips", () => {
    const key = uploadKey(42, "image/jpeg", uuid);
    expect(key).toBe(`u/42/${uuid}.jpg`);
    expect(parseUploadKey(key)).toEqual({ userId: 42, id: uuid, ext: "jpg" });
    expect(typeForKey(key)).toBe("image/jpeg");
    expect(uploadKey(7, "image/webp")).toMatch(/^u\/7\/[0-9a-f-]{36}\.webp$/);
  });

  it("rejects keys of any other shape", () => {
    for (const k of [
      `u/42/${uuid}.svg`,
      `u/x/${uuid}.png`,
      `u/42/../${uuid}.png`,
      `v/42/${uuid}.png`,
      `u/42/${uuid}.png.meta.json`,
    ]) {
      expect(parseUploadKey(k)).toBeNull();
    }
  });
});
