// What may be uploaded: image types, size limit, URL lifetime, and the object key shape u/<userId>/<uuid>.<ext>.
import { HTTPException } from "hono/http-exception";

export const ALLOWED_TYPES = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
  "image/gif": "gif",
} as const;

export type AllowedType = keyof typeof ALLOWED_TYPES;

export type UploadPolicy = {
  maxBytes: number;
  /** lifetime of a presigned URL: long enough for a slow phone upload, short enough to be useless if leaked */
  expiresSeconds: number;
};

export const UPLOAD_POLICY: UploadPolicy = { maxBytes: 5 * 1024 * 1024, expiresSeconds: 300 };

export type UploadCheck =
  | { ok: true; contentType: AllowedType; size: number; ext: string }
  | { ok: false; status: 400 | 413 | 415; message: string };

export function isAllowedType(type: string): type is AllowedType {
  return Object.hasOwn(ALLOWED_TYPES, type);
}

/** "Image/PNG; charset=x" → "image/png": the signed header is the canonical form the client must send. */
export function normaliseType(type: string): string {
  return (type.split(";")[0] ?? "").trim().toLowerCase();
}

/** Validate a client's `{ contentType, size }` before anything is signed. */
export function checkUploadRequest(input: unknown, policy: UploadPolicy = UPLOAD_POLICY): UploadCheck {
  if (typeof input !== "object" || input === null) {
    return { ok: false, status: 400, message: "expected a JSON body { contentType, size }" };
  }
  const { contentType, size } = input as Record<string, unknown>;
  if (typeof contentType !== "string" || contentType.trim() === "") {
    return { ok: false, status: 400, message: "contentType is required (e.g. image/png)" };
  }
  if (typeof size !== "number" || !Number.isSafeInteger(size) || size <= 0) {
    return { ok: false, status: 400, message: "size must be the file's length in bytes, a positive integer" };
  }
  const type = normaliseType(contentType);
  if (!isAllowedType(type)) {
    const allowed = Object.keys(ALLOWED_TYPES).join(", ");
    return { ok: false, status: 415, message: `content type ${type} is not accepted; use one of ${allowed}` };
  }
  if (size > policy.maxBytes) {
    const mb = (policy.maxBytes / 1024 / 1024).toFixed(0);
    return {
      ok: false,
      status: 413,
      message: `file is ${size} bytes; the limit is ${policy.maxBytes} (${mb} MB)`,
    };
  }
  return { ok: true, contentType: type, size, ext: ALLOWED_TYPES[type] };
}

/** The same check for a request path: throws a 4xx HTTPException with the message. */
export function assertUploadRequest(input: unknown, policy: UploadPolicy = UPLOAD_POLICY) {
  const check = checkUploadRequest(input, policy);
  if (!check.ok) throw new HTTPException(check.status, { message: check.message });
  return check;
}

const KEY_RE =
  /^u\/(\d+)\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(png|jpg|webp|gif)$/;

/** A fresh object key; the extension follows the content type, never the client's file name. */
export function uploadKey(
  userId: number,
  contentType: AllowedType,
  uuid: string = crypto.randomUUID(),
): string {
  return `u/${userId}/${uuid}.${ALLOWED_TYPES[contentType]}`;
}

export function parseUploadKey(key: string): { userId: number; id: string; ext: string } | null {
  const m = KEY_RE.exec(key);
  if (m === null || m[1] === undefined || m[2] === undefined || m[3] === undefined) return null;
  return { userId: Number(m[1]), id: m[2], ext: m[3] };
}

/** The content type a key was issued for (its extension), to check uploads and processed objects against. */
export function typeForKey(key: string): AllowedType | null {
  const parsed = parseUploadKey(key);
  if (parsed === null) return null;
  const entry = Object.entries(ALLOWED_TYPES).find(([, ext]) => ext === parsed.ext);
  return entry === undefined ? null : (entry[0] as AllowedType);
}
