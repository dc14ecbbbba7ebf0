// Presigned PUT URLs for R2's S3 API (aws4fetch): content-type and content-length are signed, so both are bound.
import { AwsV4Signer } from "aws4fetch";
import type { AllowedType } from "./policy.ts";

export type R2S3Config = {
  /**
   * Production: `https://<account id>.r2.cloudflarestorage.com`.
   * Local (wrangler dev, r2_buckets[].local_dev.experimental_s3_credentials): `http://localhost:8787/cdn-cgi/local/r2/s3`.
   */
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** R2 ignores the region but SigV4 needs one; "auto" is R2's */
  region?: string;
};

export type PresignedUpload = {
  method: "PUT";
  url: string;
  /** send exactly these; content-length is signed too, but fetch/XHR set it from the body (it is forbidden to set) */
  headers: { "content-type": AllowedType };
  /** the body must be exactly this many bytes, or R2 answers 403 SignatureDoesNotMatch */
  size: number;
  key: string;
  /** epoch ms */
  expiresAt: number;
};

/** "20261123T190000Z", SigV4's timestamp format. */
export function amzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[:-]|\.\d{3}/g, "");
}

/** S3 object keys keep their slashes; every other reserved character is percent-encoded. */
export function objectUrl(config: Pick<R2S3Config, "endpoint" | "bucket">, key: string): URL {
  const path = key.split("/").map(encodeURIComponent).join("/");
  return new URL(`${config.endpoint.replace(/\/+$/, "")}/${encodeURIComponent(config.bucket)}/${path}`);
}

/**
 * Sign a PUT of exactly `size` bytes of `contentType` to `key`, valid for `expiresSeconds`.
 * Signing content-length binds the size: R2 (like S3) refuses a body of any other length with 403
 * SignatureDoesNotMatch, so the policy's limit holds without POST policies (which R2 does not support).
 */
export async function presignUpload(
  config: R2S3Config,
  req: { key: string; contentType: AllowedType; size: number; expiresSeconds: number; now?: number },
): Promise<PresignedUpload> {
  const now = req.now ?? Date.now();
  const url = objectUrl(config, req.key);
  url.searchParams.set("X-Amz-Expires", String(req.expiresSeconds));
  const signer = new AwsV4Signer({
    method: "PUT",
    url: url.toString(),
    headers: { "content-type": req.contentType, "content-length": String(req.size) },
    accessKeyId: config.accessKeyId,
    secretAccessKey: config.secretAccessKey,
    service: "s3",
    region: config.region ?? "auto",
    datetime: amzDate(now),
    signQuery: true,
    // aws4fetch leaves content-type and content-length unsigned by default; they are the point here.
    allHeaders: true,
  });
  const signed = await signer.sign();
  return {
    method: "PUT",
    url: signed.url.toString(),
    headers: { "content-type": req.contentType },
    size: req.size,
    key: req.key,
    expiresAt: now + req.expiresSeconds * 1000,
  };
}
