// Fallback local upload endpoint (PUT <basePath>/<bucket>/<key>?X-Amz-…): verifies the presigned URL, writes to R2.
import { parseUploadKey, typeForKey, type UploadPolicy } from "./policy.ts";
import { verifyPresigned } from "./verify.ts";

export type LocalPutOptions = {
  /** the R2 binding (only put is used) */
  bucket: { put(key: string, value: Uint8Array, options: R2PutOptions): Promise<unknown> };
  bucketName: string;
  accessKeyId: string;
  secretAccessKey: string;
  basePath: string;
  policy?: UploadPolicy;
  now?: number;
};

const xmlError = (status: number, message: string) =>
  new Response(`<?xml version="1.0" encoding="UTF-8"?><Error><Message>${message}</Message></Error>`, {
    status,
    headers: { "content-type": "application/xml" },
  });

/**
 * Only for local runs without wrangler's experimental S3 endpoint: mount it in the edge Worker when
 * ENVIRONMENT is "development". Same presigned URLs (presign.ts with endpoint `<origin><basePath>`).
 */
export async function serveLocalPut(request: Request, opts: LocalPutOptions): Promise<Response> {
  if (request.method !== "PUT") return xmlError(405, "only PUT uploads are accepted");
  // Verify against the length actually received, whatever the content-length header claimed (or omitted).
  const body = new Uint8Array(await request.arrayBuffer());
  const headers = new Headers(request.headers);
  headers.set("content-length", String(body.byteLength));
  const v = await verifyPresigned(new Request(request.url, { method: "PUT", headers }), opts);
  if (!v.ok) return xmlError(v.status, v.reason);
  if (v.bucket !== opts.bucketName) return xmlError(404, "no such bucket");
  if (parseUploadKey(v.key) === null || typeForKey(v.key) !== v.contentType) {
    return xmlError(400, "key is not an upload key for this content type");
  }
  await opts.bucket.put(v.key, body, { httpMetadata: { contentType: v.contentType } });
  return new Response(null, { status: 200 });
}
