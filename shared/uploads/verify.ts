// Verifies a SigV4 presigned PUT (as presign.ts makes them) and the upload policy: for a local or proxied upload path.
import { constantTimeEqual } from "../trust/index.ts";
import { isAllowedType, normaliseType, UPLOAD_POLICY, type UploadPolicy } from "./policy.ts";

export type VerifyOptions = {
  accessKeyId: string;
  secretAccessKey: string;
  /** epoch ms; injectable for tests */
  now?: number;
  policy?: UploadPolicy;
  /** path prefix before /<bucket>/<key>, e.g. "/_r2" */
  basePath?: string;
};

export type Verified = { ok: true; bucket: string; key: string; contentType: string; size: number };
export type Refused = { ok: false; status: 400 | 403 | 405 | 413 | 415; reason: string };

const MAX_EXPIRES = 604_800;
const CLOCK_SKEW_MS = 5 * 60_000;
const REQUIRED_SIGNED = ["content-length", "content-type", "host"];

const enc = new TextEncoder();
const hex = (buf: ArrayBuffer) =>
  [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");
const rfc3986 = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

async function hmac(key: ArrayBuffer | Uint8Array, data: string): Promise<ArrayBuffer> {
  const k = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return crypto.subtle.sign("HMAC", k, enc.encode(data));
}

function parseAmzDate(v: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(v);
  if (m === null) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

/** Canonical URI as S3 (and aws4fetch) computes it: each path segment decoded, then RFC 3986-encoded. */
function canonicalPath(pathname: string): string {
  return pathname
    .split("/")
    .map((seg) => rfc3986(decodeURIComponent(seg)))
    .join("/");
}

function canonicalQuery(params: URLSearchParams): string {
  return [...params]
    .filter(([k]) => k !== "X-Amz-Signature")
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
}

const refuse = (status: Refused["status"], reason: string): Refused => ({ ok: false, status, reason });

export async function verifyPresigned(request: Request, opts: VerifyOptions): Promise<Verified | Refused> {
  if (request.method !== "PUT") return refuse(405, "only PUT uploads are accepted");
  const url = new URL(request.url);
  const q = url.searchParams;
  const [algorithm, credential, date, expires, signedHeaders, signature] = [
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Expires",
    "X-Amz-SignedHeaders",
    "X-Amz-Signature",
  ].map((k) => q.get(k));
  if (!algorithm || !credential || !date || !expires || !signedHeaders || !signature) {
    return refuse(403, "not a presigned URL (X-Amz-* parameters missing)");
  }
  if (algorithm !== "AWS4-HMAC-SHA256") return refuse(400, "unsupported signing algorithm");
  const [keyId, day, region, service, terminator] = credential.split("/");
  if (keyId !== opts.accessKeyId || service !== "s3" || terminator !== "aws4_request" || !day || !region) {
    return refuse(403, "unknown credential");
  }
  const signedAt = parseAmzDate(date);
  const lifetime = Number(expires);
  if (signedAt === null || !date.startsWith(day)) return refuse(400, "bad X-Amz-Date");
  if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > MAX_EXPIRES)
    return refuse(400, "bad X-Amz-Expires");
  const now = opts.now ?? Date.now();
  if (now > signedAt + lifetime * 1000) return refuse(403, "the upload URL has expired; ask for a new one");
  if (signedAt > now + CLOCK_SKEW_MS) return refuse(403, "the upload URL is not valid yet");
  const names = signedHeaders.split(";");
  if (!REQUIRED_SIGNED.every((h) => names.includes(h))) {
    return refuse(403, "the URL must sign host, content-type and content-length");
  }

  const headerValue = (h: string) =>
    (h === "host" ? url.host : (request.headers.get(h) ?? "")).trim().replace(/\s+/g, " ");
  const canonicalRequest = [
    "PUT",
    canonicalPath(url.pathname),
    canonicalQuery(q),
    `${names.map((h) => `${h}:${headerValue(h)}`).join("\n")}\n`,
    signedHeaders,
    "UNSIGNED-PAYLOAD",
  ].join("\n");
  const scope = `${day}/${region}/s3/aws4_request`;
  const digest = hex(await crypto.subtle.digest("SHA-256", enc.encode(canonicalRequest)));
  const stringToSign = ["AWS4-HMAC-SHA256", date, scope, digest].join("\n");
  let key = await hmac(enc.encode(`AWS4${opts.secretAccessKey}`), day);
  for (const part of [region, "s3", "aws4_request"]) key = await hmac(key, part);
  if (!constantTimeEqual(hex(await hmac(key, stringToSign)), signature)) {
    return refuse(403, "signature does not match (URL, content type or size differ from what was signed)");
  }

  // The signature proves the headers are the ones we issued; the policy still bounds what we ever issue.
  const policy = opts.policy ?? UPLOAD_POLICY;
  const size = Number(request.headers.get("content-length"));
  const contentType = normaliseType(request.headers.get("content-type") ?? "");
  if (!isAllowedType(contentType)) return refuse(415, `content type ${contentType} is not accepted`);
  if (!Number.isSafeInteger(size) || size <= 0) return refuse(400, "content-length is required");
  if (size > policy.maxBytes)
    return refuse(413, `upload of ${size} bytes exceeds the ${policy.maxBytes}-byte limit`);

  const base = (opts.basePath ?? "").replace(/\/+$/, "");
  if (!url.pathname.startsWith(`${base}/`)) return refuse(400, "path outside the upload endpoint");
  const [bucket, ...rest] = url.pathname
    .slice(base.length + 1)
    .split("/")
    .map(decodeURIComponent);
  if (!bucket || rest.length === 0) return refuse(400, "path must be /<bucket>/<key>");
  return { ok: true, bucket, key: rest.join("/"), contentType, size };
}
