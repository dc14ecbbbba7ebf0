// Tests for the fallback local upload endpoint: a presigned PUT lands in the bucket, a bad one does not.
import { describe, expect, it } from "vitest";
import { serveLocalPut } from "./local-put.ts";
import { presignUpload } from "./presign.ts";

const creds = { accessKeyId: "k", secretAccessKey: "s" };
const key = "u/1/0f8fad5b-d9cb-469f-a165-70867728950e.gif";

function fakeBucket() {
  const puts: { key: string; bytes: number; type: string | undefined }[] = [];
  return {
    puts,
    put: async (k: string, value: Uint8Array, o: R2PutOptions) => {
      const bytes = value.byteLength;
      const meta = o.httpMetadata;
      puts.push({ key: k, bytes, type: meta instanceof Headers ? undefined : meta?.contentType });
      return null;
    },
  };
}

async function upload(url: string, body: Uint8Array, type: string, bucket = fakeBucket()) {
  const req = new Request(url, { method: "PUT", headers: { "content-type": type }, body });
  const res = await serveLocalPut(req, {
    bucket,
    bucketName: "edgeplate-uploads",
    basePath: "/_r2",
    ...creds,
  });
  return { res, bucket };
}

describe("serveLocalPut", () => {
  const sign = (k = key, size = 6) =>
    presignUpload(
      { endpoint: "http://localhost:8787/_r2", bucket: "edgeplate-uploads", ...creds },
      { key: k, contentType: "image/gif", size, expiresSeconds: 60 },
    );

  it("stores a correctly presigned upload with its content type", async () => {
    const p = await sign();
    const { res, bucket } = await upload(p.url, new Uint8Array(6), "image/gif");
    expect(res.status).toBe(200);
    expect(bucket.puts).toEqual([{ key, bytes: 6, type: "image/gif" }]);
  });

  it("refuses a body of another size and writes nothing", async () => {
    const p = await sign();
    const { res, bucket } = await upload(p.url, new Uint8Array(7), "image/gif");
    expect(res.status).toBe(403);
    expect(bucket.puts).toEqual([]);
  });

  it("refuses keys outside the upload key shape even if signed", async () => {
    const p = await sign("u/1/../../etc.gif");
    const { res } = await upload(p.url, new Uint8Array(6), "image/gif");
    expect(res.status).toBe(400);
  });
});
